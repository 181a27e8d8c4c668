import { QueueEvents, type ConnectionOptions, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunHandle, RunListener, RunOutcome } from '@apogee/core/internal';
import { FinishedJobs } from './FinishedJobs';
import { completedOutcome, failedOutcome } from './jobOutcome';
import type { QueueSettings } from './QueueSettings';

/** A run the leader handed to the queue, until its end is known. */
export interface FollowedRun {
  readonly run: RunHandle;
  readonly listener: RunListener;
}

/**
 * An end heard of, waiting for the claim of its batch: its job's return value, or why the job
 * failed in BullMQ. Read into an outcome only once claimed here.
 */
interface HeardEnd {
  readonly jobId: string;
  readonly entry: FollowedRun;
  readonly result: unknown;
  readonly failedReason: string | undefined;
}

/**
 * The ends of the runs this instance follows (`followed`, by job id): read from BullMQ's queue
 * events and recorded in batches. Whoever takes a job out of the finished set records its end
 * ({@link FinishedJobs}): after a change of leader, the old and the new one may both hear of it,
 * and the run log refuses a second end anyway. The ends of one read of the event stream are
 * claimed with one script call (a process that dies between the claim and the record loses that
 * record: never two).
 */
export class JobEnds {
  private events: QueueEvents | undefined;
  private queue: Queue | undefined;
  private client: Redis | undefined;
  private finished: FinishedJobs | undefined;
  private heard: HeardEnd[] = [];
  /** A claim is waiting for Redis's answer (see {@link JobEnds.hear}). */
  private claiming = false;
  /** The event reader starting or started (see {@link JobEnds.listen}). */
  private reading: Promise<void> | undefined;

  constructor(
    private readonly settings: Pick<QueueSettings, 'names' | 'redis' | 'warnings'>,
    private readonly followed: Map<string, FollowedRun>,
  ) {}

  /** Where ends are claimed and jobs removed; no event is read before {@link JobEnds.listen}. */
  use(queue: Queue, client: Redis): void {
    this.queue = queue;
    this.client = client;
    this.finished = new FinishedJobs(client, queue);
  }

  /**
   * Starts reading the queue's events, once; resolves when the reader is ready. Only an instance
   * that dispatches (the leader, or one with start-up or shutdown runs) reads them: a reader
   * parses every event of every run, which an instance that only executes has no use for.
   */
  listen(): Promise<void> {
    this.reading ??= this.read().catch((error: unknown) => {
      this.reading = undefined;
      throw error;
    });
    return this.reading;
  }

  async close(): Promise<void> {
    const reading = this.reading;
    this.reading = undefined;
    this.queue = undefined;
    this.client = undefined;
    this.finished = undefined;
    await reading?.catch(() => undefined);
    const events = this.events;
    this.events = undefined;
    await events?.close();
  }

  /**
   * Reads the queue's events from the newest one written now. QueueEvents' own default, `$`,
   * means "after the newest event when the first read arrives", and that read goes out some time
   * after `waitUntilReady()`: the ends of jobs added in between would be missed, and found only
   * by the next reconcile, seconds later.
   */
  private async read(): Promise<void> {
    const { client, queue } = this;
    if (client === undefined || queue === undefined) return;
    const newest = (await client.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1))[0]?.[0];
    const { names, redis } = this.settings;
    const events = new QueueEvents(names.queue, {
      connection: redis as ConnectionOptions,
      prefix: names.prefix,
      lastEventId: newest ?? '0-0',
    });
    this.events = events;
    events.on('active', ({ jobId }) => {
      const entry = this.followed.get(jobId);
      if (entry !== undefined && !entry.run.settled) entry.listener.begun(entry.run);
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      this.completed(jobId, returnvalue as unknown);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.failed(jobId, failedReason);
    });
    await events.waitUntilReady();
  }

  /**
   * Finds the ends of followed runs whose queue events were missed (Redis trimmed the stream, or
   * was unreachable for a while): called every few seconds. One read of the finished jobs, which
   * are few (a claimed end removes its job), rather than one per followed run: under a backlog of
   * thousands that was thousands of reads every round.
   */
  async reconcile(): Promise<void> {
    const queue = this.queue;
    if (queue === undefined || this.followed.size === 0) return;
    try {
      for (const job of await queue.getJobs(['completed', 'failed'])) {
        if (job.id === undefined || !this.followed.has(job.id)) continue;
        if (job.failedReason !== undefined && job.failedReason !== '') this.failed(job.id, job.failedReason);
        else this.completed(job.id, job.returnvalue);
      }
    } catch {
      // Redis is unreachable now: the next round tries again.
    }
  }

  /** Job `jobId` completed with `result` (its return value, unchecked). */
  completed(jobId: string, result: unknown): void {
    this.hear(jobId, result, undefined);
  }

  /** Job `jobId` failed in BullMQ for `reason`. */
  failed(jobId: string, reason: string): void {
    this.hear(jobId, undefined, reason);
  }

  /**
   * The jobs `jobIds` never reached the queue (`error` says why): their runs fail here, with no
   * claim, since no job of theirs can end anywhere.
   */
  notAdded(jobIds: readonly string[], error: Error): void {
    for (const jobId of jobIds) {
      const entry = this.followed.get(jobId);
      if (entry === undefined) continue;
      this.followed.delete(jobId);
      entry.listener.begun(entry.run);
      if (!entry.run.settled) entry.listener.ended(entry.run, { action: 'fail', error });
    }
  }

  /**
   * Collects the ends heard: QueueEvents emits every event of one stream read in one loop, so the
   * microtask after it claims them all at once. While a claim is in flight, the ends heard meanwhile
   * wait for its answer and then go as one batch: under load the batches grow instead of the
   * round trips.
   */
  private hear(jobId: string, result: unknown, failedReason: string | undefined): void {
    const entry = this.followed.get(jobId);
    if (entry === undefined) return;
    this.followed.delete(jobId);
    this.heard.push({ jobId, entry, result, failedReason });
    if (this.heard.length === 1 && !this.claiming)
      queueMicrotask(() => {
        void this.record();
      });
  }

  private async record(): Promise<void> {
    const batch = this.heard;
    this.heard = [];
    this.claiming = true;
    try {
      const claimed = await this.claim(batch.map((end) => end.jobId));
      batch.forEach((end, i) => {
        const { entry } = end;
        if (claimed[i] !== true || entry.run.settled) return;
        entry.listener.begun(entry.run);
        entry.listener.ended(entry.run, this.outcomeOf(end));
      });
    } finally {
      this.claiming = false;
      if (this.heard.length > 0) void this.record();
    }
  }

  private outcomeOf({ jobId, result, failedReason }: HeardEnd): RunOutcome {
    return failedReason === undefined
      ? completedOutcome(jobId, result, this.settings)
      : failedOutcome(jobId, failedReason);
  }

  /**
   * Claims the ends of `jobIds` by taking their jobs (one script call per batch): true for each
   * end this instance claims; when Redis cannot answer, true too: recorded here rather than lost
   * (the log refuses a second end).
   */
  private async claim(jobIds: readonly string[]): Promise<boolean[]> {
    const finished = this.finished;
    if (finished === undefined) return jobIds.map(() => false);
    try {
      return await finished.take(jobIds);
    } catch {
      return jobIds.map(() => true);
    }
  }
}
