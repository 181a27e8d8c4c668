import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { SerializationError, TaskInaction } from '@apogee/core';
import {
  fromWireError,
  jobPayload,
  prepareRun,
  queueJobShape,
  queueResultShape,
  readStored,
  readStoredValue,
  runUpdateShape,
  signStored,
  toWireError,
  verifyStored,
  type ExecutableTask,
  type Executor,
  type ResolutionScope,
  type RunHandle,
  type RoomListener,
  type RunListener,
  type RunOutcome,
  type QueueContext,
} from '@apogee/core/internal';
import { bullmqPriority } from './bullmqPriority';
import { fromJsonValue, toJsonValue } from './jsonValue';
import { jobIdOf, withTrace, type CancelMessage, type QueueJob, type QueueResult } from './QueueJob';
import { QueueJobError } from './QueueJobError';
import type { QueueSettings } from './QueueSettings';
import { QueueWorker } from './QueueWorker';

/** Queue events Redis keeps (about): several per run, read by the leader as they come. */
const EVENTS_KEPT = 200_000;

/**
 * How often the leader looks up the jobs of its live runs itself. Queue events are its fast path,
 * but an event can be missed (the reader was not reading yet, or Redis trimmed the stream): then
 * this finds the job's end.
 */
const RECONCILE_MS = 5_000;

/** A run the leader handed to the queue, until its end is known. */
interface Dispatched {
  readonly run: RunHandle;
  readonly listener: RunListener;
}

/**
 * Execution `'queue'`: the leader resolves a run's arguments, checks they are JSON, and adds a
 * BullMQ job (its id made of the task and run id, so a repeated dispatch adds nothing); any
 * instance's worker takes it. The run begins (its `run` record, its timeout) when a worker
 * starts the job, and ends when the job's result comes back through BullMQ's queue events.
 * Terminating the run publishes a cancel that aborts its `@Signal()` wherever it executes; the
 * run's progress and output come back on the update channel while it executes.
 */
export class QueueExecutor implements Executor {
  private readonly worker: QueueWorker;
  private queue: Queue<QueueJob, QueueResult> | undefined;
  private events: QueueEvents | undefined;
  private publisher: Redis | undefined;
  /** Subscribed to the update channel: progress and output of runs executing on any worker. */
  private updates: Redis | undefined;
  private room: RoomListener | undefined;
  private stopFollowingLeadership: (() => void) | undefined;
  private reconciling: ReturnType<typeof setInterval> | undefined;
  /** Runs dispatched by this instance whose end has not come back yet, by job id. */
  private readonly dispatched = new Map<string, Dispatched>();

  constructor(
    private readonly settings: QueueSettings,
    private readonly app: QueueContext,
  ) {
    this.worker = new QueueWorker(settings, app);
  }

  hasRoom(): boolean {
    // The backlog waits in the queue, where any instance's worker may take it.
    return true;
  }

  /** Never out of room; the listener is who adopts runs on a change of leader. */
  listen(listener: RoomListener): void {
    this.room = listener;
  }

  async open(): Promise<void> {
    const { names, redis } = this.settings;
    try {
      this.publisher = new Redis(redis);
      const updates = new Redis(redis);
      this.updates = updates;
      updates.on('message', (_channel: string, message: string) => {
        this.onUpdate(message);
      });
      await updates.subscribe(names.updateChannel);
      this.queue = new Queue<QueueJob, QueueResult>(names.queue, {
        connection: redis as ConnectionOptions,
        prefix: names.prefix,
        // Results travel as queue events: a backlog of thousands of runs must not trim the events
        // of runs whose ends the leader has not read yet (BullMQ's default keeps about 10,000).
        streams: { events: { maxLen: EVENTS_KEPT } },
      });
      const events = new QueueEvents(names.queue, {
        connection: redis as ConnectionOptions,
        prefix: names.prefix,
      });
      this.events = events;
      events.on('active', ({ jobId }) => {
        this.begun(jobId);
      });
      events.on('completed', ({ jobId, returnvalue }) => {
        this.completed(jobId, returnvalue as unknown);
      });
      events.on('failed', ({ jobId, failedReason }) => {
        this.failed(jobId, failedReason);
      });
      await Promise.all([this.queue.waitUntilReady(), events.waitUntilReady()]);
      await this.worker.open();
      this.reconciling = setInterval(() => {
        void this.reconcile();
      }, RECONCILE_MS);
      this.reconciling.unref();
      const { leadership } = this.app;
      if (leadership !== undefined) {
        this.stopFollowingLeadership = leadership.onChange((isLeader) => {
          if (isLeader) void this.adoptAll();
        });
        if (leadership.isLeader) await this.adoptAll();
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Drains this instance's worker (its runs end first), then disconnects. */
  async close(): Promise<void> {
    this.stopFollowingLeadership?.();
    this.stopFollowingLeadership = undefined;
    clearInterval(this.reconciling);
    await this.worker.close();
    const { queue, events, publisher, updates } = this;
    this.queue = undefined;
    this.events = undefined;
    this.publisher = undefined;
    this.updates = undefined;
    await Promise.all([
      queue?.close(),
      events?.close(),
      ...[publisher, updates].map((client) =>
        client?.quit().catch(() => {
          client.disconnect();
        }),
      ),
    ]);
  }

  /**
   * Run ids of the jobs in the queue, whoever dispatched them: waiting, executing, or ended with
   * their end not recorded yet (a recorded end removes its job). A new leader adopts them all.
   */
  async liveElsewhere(): Promise<ReadonlySet<string>> {
    const queue = this.queue;
    if (queue === undefined) return new Set();
    const jobs = await queue.getJobs(['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed']);
    return new Set(jobs.flatMap((job) => this.dataOf(job)?.runId ?? []));
  }

  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    void this.dispatch(task, scope, run, listener);
  }

  private async dispatch(
    task: ExecutableTask,
    scope: ResolutionScope,
    run: RunHandle,
    listener: RunListener,
  ): Promise<void> {
    let data: QueueJob;
    try {
      data = await this.prepare(task, scope, run);
    } catch (error) {
      // A setup failure is a run like any other: started, then failed (or inactive).
      listener.begun(run);
      if (!run.settled)
        listener.ended(
          run,
          error instanceof TaskInaction ? { action: 'inaction', error } : { action: 'fail', error },
        );
      return;
    }
    if (run.settled) return;
    const jobId = jobIdOf(task.name, run.runId);
    this.follow(jobId, { run, listener });
    try {
      const queue = this.queue;
      if (queue === undefined)
        throw new QueueJobError(
          'QUEUE_CLOSED',
          `the queue "${this.settings.names.queue}" is closed (the app is not running). Fix: start runs while app.run() is under way.`,
          task.name,
        );
      await queue.add(task.name, data, {
        jobId,
        priority: bullmqPriority(task.priority),
        attempts: 1,
        // The leader that records a run's end removes its job (see finished): a new leader finds
        // the ends nobody recorded yet.
        removeOnComplete: false,
        removeOnFail: false,
      });
    } catch (error) {
      this.dispatched.delete(jobId);
      listener.begun(run);
      if (!run.settled) listener.ended(run, { action: 'fail', error });
    }
  }

  /** Prepares the run here, on the leader, checking that each value can cross as JSON. */
  private async prepare(task: ExecutableTask, scope: ResolutionScope, run: RunHandle): Promise<QueueJob> {
    const prepared = await prepareRun(task.signature, scope, (value, key) => {
      const encoded = toJsonValue(value, key);
      if ('path' in encoded)
        throw new SerializationError(task.name, key, encoded.path, encoded.problem, 'queue');
      return encoded.value ?? null;
    });
    const job = withTrace({ taskName: task.name, runId: run.runId, ...prepared }, run);
    const { secrets } = this.settings;
    return secrets.length === 0 ? job : { ...job, signature: signStored(secrets, 'job', jobPayload(job)) };
  }

  /**
   * Progress or output of a run executing on a worker, for the run this instance follows. Checked
   * first, since anything that can publish to Redis can write here.
   */
  private onUpdate(message: string): void {
    const read = readStored(runUpdateShape, message);
    if ('problem' in read) {
      this.settings.warnings.skip(
        `channel ${this.settings.names.updateChannel}`,
        'a run update',
        read.problem,
      );
      return;
    }
    const update = read.value;
    const run = this.dispatched.get(update.jobId)?.run;
    if (run === undefined) return;
    if (update.type === 'progress') run.report(update.fraction, update.message);
    else run.write({ ...update.line, at: new Date(update.line.at) });
  }

  /**
   * A job's data read back from Redis, checked (shape, and signature with a `secret`): a job that
   * fails the check is not this app's, so it is neither adopted nor counted as a live run.
   */
  private dataOf(job: Job<QueueJob, QueueResult>): QueueJob | undefined {
    const read = readStoredValue(queueJobShape, job.data);
    const where = `job ${job.id ?? '?'} of queue ${this.settings.names.prefix}:${this.settings.names.queue}`;
    if ('problem' in read) {
      this.settings.warnings.skip(where, 'a queue job', read.problem);
      return undefined;
    }
    const { secrets } = this.settings;
    if (secrets.length > 0 && !verifyStored(secrets, 'job', jobPayload(read.value), read.value.signature)) {
      this.settings.warnings.refuse(
        where,
        `a job of task "${read.value.taskName}"`,
        'it carries no valid signature',
      );
      return undefined;
    }
    return read.value;
  }

  /** Aborts the job's run wherever it executes; a job still waiting is taken out of the queue. */
  private async cancel(jobId: string, reason: unknown): Promise<void> {
    const message: CancelMessage = { jobId, reason: toWireError(reason) };
    try {
      await this.publisher?.publish(this.settings.names.cancelChannel, JSON.stringify(message));
      // Removing an active (locked) job fails (0): that one learns of the cancel from the channel,
      // and its end is claimed in `finished`. A 1 may also mean "removed already"; either way
      // nothing is left to follow, and no end is recorded from this count.
      if ((await this.queue?.remove(jobId)) === 1) this.dispatched.delete(jobId);
    } catch {
      // Redis is gone: the run is recorded as terminated already; its job ends on its own.
    }
  }

  private begun(jobId: string): void {
    const entry = this.dispatched.get(jobId);
    if (entry !== undefined && !entry.run.settled) entry.listener.begun(entry.run);
  }

  /**
   * A job of a run this instance follows has ended. Whoever first claims the job's end records
   * it: after a change of leader, the old and the new one may both hear of it. The claim is a
   * `SET NX` (BullMQ 6's `Queue.remove()` answers 1 for a job removed already, so its count
   * cannot decide), and the run log refuses a second end anyway. (A process that dies between
   * the claim and the record loses that one record: never two.)
   */
  private async finished(jobId: string, outcome: () => RunOutcome): Promise<void> {
    const entry = this.dispatched.get(jobId);
    if (entry === undefined) return;
    this.dispatched.delete(jobId);
    let claimed: boolean;
    try {
      claimed = await this.claimEnd(jobId);
      await this.queue?.remove(jobId);
    } catch {
      // Redis is unreachable: record it here rather than lose it (the log refuses a second end).
      claimed = true;
    }
    if (!claimed || entry.run.settled) return;
    entry.listener.begun(entry.run);
    entry.listener.ended(entry.run, outcome());
  }

  /** True for the one caller that claims the end of job `jobId`, whichever instance it runs on. */
  private async claimEnd(jobId: string): Promise<boolean> {
    const publisher = this.publisher;
    if (publisher === undefined) return false;
    const { prefix, queue } = this.settings.names;
    // Kept a day: far longer than any two leaders can both still be hearing of one job.
    const set = await publisher.set(`${prefix}:${queue}:ended:${jobId}`, '1', 'PX', 86_400_000, 'NX');
    return set === 'OK';
  }

  private completed(jobId: string, result: unknown): void {
    void this.finished(jobId, () => {
      const read = readStored(queueResultShape, result);
      if ('value' in read) return outcomeOf(read.value);
      const where = `job ${jobId} of queue ${this.settings.names.prefix}:${this.settings.names.queue}`;
      this.settings.warnings.skip(where, 'a job result', read.problem);
      return {
        action: 'fail',
        error: new QueueJobError(
          'QUEUE_RESULT_UNREADABLE',
          `the result of job ${jobId} ${read.problem}. Fix: nothing but this app's workers may write to ${where}.`,
        ),
      };
    });
  }

  private failed(jobId: string, reason: string): void {
    void this.finished(jobId, () => {
      const stalled = /stalled/i.test(reason);
      const error = stalled
        ? new QueueJobError(
            'QUEUE_WORKER_LOST',
            `the worker running job ${jobId} stopped renewing its lock (its process died or hung): ${reason}`,
          )
        : new QueueJobError('QUEUE_JOB_FAILED', `job ${jobId} failed in BullMQ: ${reason}`);
      return stalled ? { action: 'crash', error } : { action: 'fail', error };
    });
  }

  /**
   * On gaining the leadership: takes over the runs another leader dispatched. Jobs still waiting
   * or executing become live runs here (not crashes); jobs that ended while nobody listened have
   * their ends recorded now. The finished ones are read last, so that a job ending during the
   * scan is found by one of the two reads.
   */
  private async adoptAll(): Promise<void> {
    const { queue, room } = this;
    if (queue === undefined || room?.adopt === undefined) return;
    const take = (job: Job<QueueJob, QueueResult>): boolean => {
      if (job.id === undefined || this.dispatched.has(job.id)) return job.id !== undefined;
      const data = this.dataOf(job);
      if (data === undefined) return false;
      const adopted = room.adopt?.(data.taskName, data.runId, job.processedOn);
      if (adopted === undefined) return false;
      this.follow(job.id, adopted);
      return true;
    };
    for (const job of await queue.getJobs(['active', 'waiting', 'prioritized', 'delayed'])) take(job);
    for (const job of await queue.getJobs(['completed', 'failed'])) {
      if (!take(job) || job.id === undefined) continue;
      if (job.failedReason !== undefined && job.failedReason !== '') this.failed(job.id, job.failedReason);
      else this.completed(job.id, job.returnvalue);
    }
  }

  /** Finds the ends of live runs whose queue events were missed (see {@link RECONCILE_MS}). */
  private async reconcile(): Promise<void> {
    const queue = this.queue;
    if (queue === undefined) return;
    try {
      for (const jobId of [...this.dispatched.keys()]) {
        const job = await queue.getJob(jobId);
        if (job === undefined || job.finishedOn === undefined) continue;
        if (job.failedReason !== undefined && job.failedReason !== '') this.failed(jobId, job.failedReason);
        else this.completed(jobId, job.returnvalue);
      }
    } catch {
      // Redis is unreachable now: the next round tries again.
    }
  }

  /** Follows a run dispatched as `jobId`: its end is recorded here, its termination reaches its job. */
  private follow(jobId: string, entry: Dispatched): void {
    this.dispatched.set(jobId, entry);
    const { run } = entry;
    run.signal.addEventListener(
      'abort',
      () => {
        void this.cancel(jobId, run.signal.reason);
      },
      { once: true },
    );
  }
}

function outcomeOf(result: QueueResult): RunOutcome {
  if (result.type === 'success') return { action: 'success', returnValue: fromJsonValue(result.returnValue) };
  const error = fromWireError(result.error);
  if (result.type === 'inaction') {
    const inaction = new TaskInaction(error.message);
    if (error.stack !== undefined) inaction.stack = error.stack;
    return { action: 'inaction', error: inaction };
  }
  return { action: 'fail', error };
}
