import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { TaskInaction } from '@apogee/core';
import {
  readStored,
  runUpdateShape,
  toWireError,
  type ExecutableTask,
  type Executor,
  type ResolutionScope,
  type RunHandle,
  type RoomListener,
  type RunListener,
  type QueueContext,
} from '@apogee/core/internal';
import { AddBatch } from './AddBatch';
import { bullmqPriority } from './bullmqPriority';
import { JobEnds, type FollowedRun } from './JobEnds';
import { jobIdOf, type CancelMessage, type QueueJob, type QueueResult } from './QueueJob';
import { QueueJobError } from './QueueJobError';
import { queueJobData } from './queueJobData';
import type { QueueSettings } from './QueueSettings';
import { QueueWorker } from './QueueWorker';
import { readJobData } from './readJobData';

/** Queue events Redis keeps (about): several per run, read by the leader as they come. */
const EVENTS_KEPT = 200_000;

/**
 * How often the leader looks up the jobs of its live runs itself. Queue events are its fast path,
 * but an event can be missed (Redis trimmed the stream, or was unreachable): then this finds the
 * job's end.
 */
const RECONCILE_MS = 5_000;

/**
 * Execution `'queue'`: the leader resolves a run's arguments, checks they are JSON, and adds a
 * BullMQ job (its id made of the task and run id, so a repeated dispatch adds nothing); any
 * instance's worker takes it. The run begins (its `run` record, its timeout) when a worker
 * starts the job, and ends when the job's result comes back through BullMQ's queue events
 * ({@link JobEnds}). Terminating the run publishes a cancel that aborts its `@Signal()` wherever
 * it executes; the run's progress and output come back on the update channel while it executes.
 */
export class QueueExecutor implements Executor {
  private readonly worker: QueueWorker;
  private queue: Queue<QueueJob, QueueResult> | undefined;
  private publisher: Redis | undefined;
  /** Subscribed to the update channel: progress and output of runs executing on any worker. */
  private updates: Redis | undefined;
  private room: RoomListener | undefined;
  private stopFollowingLeadership: (() => void) | undefined;
  private reconciling: ReturnType<typeof setInterval> | undefined;
  /** Runs dispatched by this instance whose end has not come back yet, by job id. */
  private readonly dispatched = new Map<string, FollowedRun>();
  private readonly ends: JobEnds;
  /** Adds the jobs, one round trip per scheduler pass; there while the queue is open. */
  private adds: AddBatch | undefined;
  /**
   * The adoption scans under way (see {@link QueueExecutor.adoptAll}), each with the job ids this
   * instance dispatched before or during it: its own runs, never to be adopted, even once ended.
   */
  private readonly scans = new Set<Set<string>>();

  constructor(
    private readonly settings: QueueSettings,
    private readonly app: QueueContext,
  ) {
    this.worker = new QueueWorker(settings, app);
    this.ends = new JobEnds(settings, this.dispatched);
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
      const publisher = new Redis(redis);
      this.publisher = publisher;
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
      await this.queue.waitUntilReady();
      this.adds = new AddBatch(this.queue, this.ends);
      this.ends.use(this.queue as Queue, publisher);
      await this.worker.open();
      this.reconciling = setInterval(() => {
        void this.ends.reconcile();
      }, RECONCILE_MS);
      this.reconciling.unref();
      await this.followLeadership();
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
    const { queue, publisher, updates } = this;
    this.queue = undefined;
    this.adds = undefined;
    this.publisher = undefined;
    this.updates = undefined;
    await Promise.all([
      queue?.close(),
      this.ends.close(),
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
    return new Set(jobs.flatMap((job) => readJobData(job, this.settings)?.runId ?? []));
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
      data = await queueJobData(task, scope, run, this.settings.secrets);
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
    const adds = this.adds;
    if (adds === undefined) {
      const error = new QueueJobError(
        'QUEUE_CLOSED',
        `the queue "${this.settings.names.queue}" is closed (the app is not running). Fix: start runs while app.run() is under way.`,
        task.name,
      );
      this.ends.notAdded([jobId], error);
      return;
    }
    adds.add({
      name: task.name,
      data,
      opts: {
        jobId,
        priority: bullmqPriority(task.priority),
        attempts: 1,
        // The leader that records a run's end removes its job (see JobEnds): a new leader finds
        // the ends nobody recorded yet.
        removeOnComplete: false,
        removeOnFail: false,
      },
    });
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

  /** Aborts the job's run wherever it executes; a job still waiting is taken out of the queue. */
  private async cancel(jobId: string, reason: unknown): Promise<void> {
    const message: CancelMessage = { jobId, reason: toWireError(reason) };
    try {
      await this.publisher?.publish(this.settings.names.cancelChannel, JSON.stringify(message));
      // Removing an active (locked) job fails (0): that one learns of the cancel from the channel,
      // and its end is claimed in JobEnds. A 1 may also mean "removed already"; either way
      // nothing is left to follow, and no end is recorded from this count.
      if ((await this.queue?.remove(jobId)) === 1) this.dispatched.delete(jobId);
    } catch {
      // Redis is gone: the run is recorded as terminated already; its job ends on its own.
    }
  }

  /** Adopts the runs of the queue now if this instance leads, and whenever it becomes the leader. */
  private async followLeadership(): Promise<void> {
    const { leadership } = this.app;
    if (leadership === undefined) return;
    this.stopFollowingLeadership = leadership.onChange((isLeader) => {
      if (isLeader) void this.lead().catch(() => undefined);
    });
    if (leadership.isLeader) await this.lead();
  }

  /** Reads the ends of jobs from now on, then adopts the runs already in the queue. */
  private async lead(): Promise<void> {
    await this.ends.listen();
    await this.adoptAll();
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
    // A run of this instance's may end while the scan reads (its end recorded, so no longer in
    // `dispatched`) and still be listed: adopted then, it would stay live forever.
    const ours = new Set(this.dispatched.keys());
    this.scans.add(ours);
    const take = (job: Job<QueueJob, QueueResult>): boolean => {
      if (job.id === undefined) return false;
      if (ours.has(job.id) || this.dispatched.has(job.id)) return true;
      const data = readJobData(job, this.settings);
      if (data === undefined) return false;
      const adopted = room.adopt?.(data.taskName, data.runId, job.processedOn);
      if (adopted === undefined) return false;
      this.follow(job.id, adopted);
      return true;
    };
    try {
      for (const job of await queue.getJobs(['active', 'waiting', 'prioritized', 'delayed'])) take(job);
      for (const job of await queue.getJobs(['completed', 'failed'])) {
        if (!take(job) || job.id === undefined) continue;
        if (job.failedReason !== undefined && job.failedReason !== '')
          this.ends.failed(job.id, job.failedReason);
        else this.ends.completed(job.id, job.returnvalue);
      }
    } finally {
      this.scans.delete(ours);
    }
  }

  /** Follows a run dispatched as `jobId`: its end is recorded here, its termination reaches its job. */
  private follow(jobId: string, entry: FollowedRun): void {
    this.dispatched.set(jobId, entry);
    for (const ours of this.scans) ours.add(jobId);
    entry.run.onAbort = (reason) => {
      void this.cancel(jobId, reason);
    };
  }
}
