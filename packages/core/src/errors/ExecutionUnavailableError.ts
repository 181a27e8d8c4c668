import { ApogeeError } from './ApogeeError';

/**
 * A run was handed to an executor that cannot run its kind of execution (an executor assembled by
 * hand, without the queue or with a task that names no module). The run fails; registration
 * refuses such a task in an app, so this names what was assembled wrongly.
 */
export class ExecutionUnavailableError extends ApogeeError {
  constructor(taskName: string, problem: string, fix: string) {
    super('EXECUTION_UNAVAILABLE', `Task "${taskName}": ${problem}.\nFix: ${fix}.`, { taskName });
  }
}
