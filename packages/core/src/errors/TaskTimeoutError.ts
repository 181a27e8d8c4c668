import { ApogeeError } from './ApogeeError';

/** A run exceeded its `timeout` and was terminated. Recorded on the `terminate` record. */
export class TaskTimeoutError extends ApogeeError {
  constructor(taskName: string, timeoutMs: number) {
    super(
      'TASK_TIMEOUT',
      `Task "${taskName}" ran longer than its timeout of ${timeoutMs} ms and was terminated.\n` +
        `Fix: raise it with @Task({ timeout: '...' }) or config.timeout, mark the task permanent, or make it ` +
        `finish sooner (watch @Signal() to stop early).`,
      { taskName, input: timeoutMs },
    );
  }
}
