import type { JobsOptions, Queue } from 'bullmq';
import type { QueueJob, QueueResult } from './QueueJob';

/** A job to add: what `Queue.addBulk` takes. */
export interface JobToAdd {
  readonly name: string;
  readonly data: QueueJob;
  readonly opts: JobsOptions & { readonly jobId: string };
}

/** Where a batch goes before and after its round trip (JobEnds, narrowed). */
export interface AddedJobs {
  /** Resolves once the queue's events are read: a job added after it has none of its events missed. */
  listen(): Promise<void>;
  /** The jobs `jobIds` were not added (Redis refused or was unreachable): their runs fail. */
  notAdded(jobIds: readonly string[], error: Error): void;
}

/**
 * Adds jobs to the queue in batches: the adds asked for in one turn of the event loop (the runs
 * one scheduler pass launched) go out as one `addBulk`, a single round trip, instead of one each.
 * An add is a plain entry in the batch (no promise per job): the batch's failure goes to
 * {@link AddedJobs.notAdded} at once.
 */
export class AddBatch {
  private pending: JobToAdd[] = [];

  constructor(
    private readonly queue: Queue<QueueJob, QueueResult>,
    private readonly added: AddedJobs,
  ) {}

  add(job: JobToAdd): void {
    this.pending.push(job);
    if (this.pending.length === 1)
      setImmediate(() => {
        void this.flush();
      });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      // Reading from the newest event before the jobs are added: none of their events is missed.
      await this.added.listen();
      await this.queue.addBulk(batch);
    } catch (error) {
      this.added.notAdded(
        batch.map((job) => job.opts.jobId),
        error instanceof Error ? error : new Error(String(error)),
      );
    }
  }
}
