import { ApogeeError } from './ApogeeError';

/**
 * A worker (thread or process) loaded a task's module but could not find the task's code in it:
 * no such class, two classes of that name, no such method, or no function. The run fails naming
 * the module and what was looked for.
 */
export class WorkerTaskNotFoundError extends ApogeeError {
  constructor(taskName: string, problem: string, fix: string) {
    super('WORKER_TASK_NOT_FOUND', `Task "${taskName}": ${problem}.\nFix: ${fix}.`, { taskName });
  }
}
