import { ApogeeError } from './ApogeeError';

/**
 * The side executing a run does not agree with the side that scheduled it on what the task's
 * parameters receive: the worker runs other code than the scheduler (a deploy half done), or it
 * cannot find how the task was declared. The run fails; nothing is guessed.
 */
export class SignatureMismatchError extends ApogeeError {
  constructor(taskName: string, problem: string, fix: string) {
    super('SIGNATURE_MISMATCH', `Task "${taskName}": ${problem}.\nFix: ${fix}`, { taskName });
  }
}
