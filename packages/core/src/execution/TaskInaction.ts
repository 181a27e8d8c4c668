/**
 * Throw it from a task to say "nothing to do this time": the run is recorded as `inaction`,
 * which counts as done for once-per-period conditions such as `daily`.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('every 1 minute')
 *   poll() { if (queue.length === 0) throw new TaskInaction('queue empty'); }
 * }
 * ```
 */
export class TaskInaction extends Error {
  constructor(message = 'nothing to do') {
    super(message);
    this.name = 'TaskInaction';
  }
}
