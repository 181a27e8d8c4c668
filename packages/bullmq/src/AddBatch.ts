import type { JobsOptions, Queue } from 'bullmq';
import type { QueueJob, QueueResult } from './QueueJob';

interface PendingAdd {
  readonly name: string;
  readonly data: QueueJob;
  readonly opts: JobsOptions;
  readonly settle: (error?: Error) => void;
}

/**
 * Adds jobs to the queue in batches: the adds asked for in one turn of the event loop (the runs
 * one scheduler pass launched) go out as one `addBulk`, a single round trip, instead of one each.
 */
export class AddBatch {
  private pending: PendingAdd[] = [];

  constructor(private readonly queue: Queue<QueueJob, QueueResult>) {}

  /** Resolves once the job is in the queue; rejects with why the batch holding it was not added. */
  add(name: string, data: QueueJob, opts: JobsOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        name,
        data,
        opts,
        settle: (error) => {
          if (error === undefined) resolve();
          else reject(error);
        },
      });
      if (this.pending.length === 1)
        setImmediate(() => {
          void this.flush();
        });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.queue.addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const add of batch) add.settle(failure);
      return;
    }
    for (const add of batch) add.settle();
  }
}
