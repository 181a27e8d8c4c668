import { ApogeeError } from './ApogeeError';

/**
 * `task.run(params)` was refused: the task already has `maxBatches` runs waiting. Queued batches
 * live in memory, so without a bound a caller that queues faster than the task runs would grow
 * the process without limit. Thrown at once; nothing is queued.
 */
export class QueueFullError extends ApogeeError {
  /** Runs waiting when the batch was refused. */
  readonly waiting: number;
  /** The task's bound (`maxBatches`). */
  readonly maxBatches: number;

  constructor(taskName: string, waiting: number, maxBatches: number) {
    super(
      'QUEUE_FULL',
      `Task "${taskName}" already has ${String(waiting)} runs waiting (its maxBatches is ${String(maxBatches)}); the batch was not queued.\n` +
        `Fix: try again once some have run, raise the bound with @Task({ maxBatches }) or config.maxBatches, ` +
        `or allow overlapping runs with multilaunch so the queue drains faster.`,
      { taskName, input: maxBatches },
    );
    this.waiting = waiting;
    this.maxBatches = maxBatches;
  }
}
