import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { SerializationError, TaskInaction } from '@apogee/core';
import {
  cancelShape,
  checkProgress,
  fillRun,
  fromWireError,
  readStored,
  toWireError,
  type ExecutableTask,
  type OutputLine,
  type RunContext,
  type QueueContext,
} from '@apogee/core/internal';
import { JobAbort } from './JobAbort';
import { JobGate } from './JobGate';
import { fromJsonValue, toJsonValue } from './jsonValue';
import type { QueueJob, QueueResult, UpdateMessage } from './QueueJob';
import { QueueJobError } from './QueueJobError';
import type { QueueSettings } from './QueueSettings';

/** How long a cancel message is remembered for a job this worker has not started yet. */
const CANCEL_MEMORY_MS = 60_000;

/**
 * This instance's BullMQ worker: takes jobs of any instance's leader, runs each task on this
 * app's own copy (an instance built by its container), and returns how the run ended. Listens on
 * the cancel channel, so that a timeout or `terminate()` decided by the leader aborts the run's
 * `@Signal()` here, and publishes the run's progress and output on the update channel for the
 * leader. A job is run only once the {@link JobGate} admits it.
 */
export class QueueWorker {
  private worker: Worker<unknown, QueueResult> | undefined;
  private readonly gate: JobGate;
  private subscriber: Redis | undefined;
  /** Publishes the progress and output of the runs executing here. */
  private publisher: Redis | undefined;
  /** The abort of each job running here. */
  private readonly running = new Map<string, JobAbort>();
  /** Cancel messages for jobs not (yet) running here, by job id, with when they came. */
  private readonly cancelled = new Map<string, { reason: unknown; at: number }>();

  constructor(
    private readonly settings: QueueSettings,
    private readonly app: QueueContext,
  ) {
    this.gate = new JobGate(settings, app);
  }

  /** Subscribes to the cancel channel, then starts taking jobs. */
  async open(): Promise<void> {
    const { names, redis, concurrency, lockDuration } = this.settings;
    if (concurrency === 0) return;
    const subscriber = new Redis(redis);
    this.subscriber = subscriber;
    this.publisher = new Redis(redis);
    subscriber.on('message', (_channel: string, message: string) => {
      this.onCancel(message);
    });
    await subscriber.subscribe(names.cancelChannel);
    this.worker = new Worker<unknown, QueueResult>(
      names.queue,
      // One parameter: BullMQ makes an AbortController per job only for a processor that takes its
      // signal, which only its `cancelJob()` aborts; cancels reach a run through the channel.
      (job) => this.process(job),
      {
        connection: redis as ConnectionOptions,
        prefix: names.prefix,
        concurrency,
        lockDuration,
        stalledInterval: lockDuration,
        // A job whose worker died is failed at once (recorded `crash`), never run a second time.
        maxStalledCount: 0,
      },
    );
    await this.worker.waitUntilReady();
  }

  /** Waits for the runs executing here to end (graceful shutdown), then disconnects. */
  async close(): Promise<void> {
    const { worker, subscriber, publisher } = this;
    this.worker = undefined;
    this.subscriber = undefined;
    this.publisher = undefined;
    await worker?.close();
    await Promise.all(
      [subscriber, publisher].map(async (client) => {
        await client?.quit().catch(() => {
          client.disconnect();
        });
      }),
    );
  }

  /** A cancel from the channel: checked first, since a message that is not one must change nothing. */
  private onCancel(message: string): void {
    const read = readStored(cancelShape, message);
    if ('problem' in read) {
      this.settings.warnings.skip(
        `channel ${this.settings.names.cancelChannel}`,
        'a cancel message',
        read.problem,
      );
      return;
    }
    const { jobId, reason } = read.value;
    const error = fromWireError(reason);
    const running = this.running.get(jobId);
    if (running !== undefined) {
      running.abort(error);
      return;
    }
    // The job may start here after its cancel went out: remember it for a while.
    const now = Date.now();
    for (const [id, entry] of this.cancelled)
      if (now - entry.at > CANCEL_MEMORY_MS) this.cancelled.delete(id);
    this.cancelled.set(jobId, { reason: error, at: now });
  }

  private async process(job: Job<unknown, QueueResult>): Promise<QueueResult> {
    const jobId = job.id ?? '';
    const admitted = await this.gate.admit(jobId, job.data);
    // Thrown, so the job fails in BullMQ: a leader following it records the refusal as a failure.
    if ('refused' in admitted)
      throw new QueueJobError(
        'QUEUE_JOB_REFUSED',
        `job ${jobId} refused: ${admitted.refused}. Fix: only this app's leader may add jobs to its queue.`,
      );
    const abort = new JobAbort();
    const early = this.cancelled.get(jobId);
    if (early !== undefined) abort.abort(early.reason);
    this.running.set(jobId, abort);
    // The run's progress and output go out before its end: a leader that read the end first would
    // drop the lines still on their way (a run's output closes with its end record).
    const published = new Set<Promise<unknown>>();
    try {
      const result = await this.runTask(
        admitted.data,
        admitted.task,
        this.runContext(jobId, admitted.data, abort, published),
      );
      if (published.size > 0) await Promise.all(published);
      return result;
    } finally {
      this.running.delete(jobId);
      this.cancelled.delete(jobId);
    }
  }

  /**
   * The run as its arguments made here see it: its signal (aborted by a cancel from the channel),
   * the app's container, and progress and output published for the leader while the
   * job is running here (each publish added to `published`, which the job awaits before it
   * ends). Progress is checked here, where the task can catch the error.
   */
  private runContext(
    jobId: string,
    data: QueueJob,
    abort: JobAbort,
    published: Set<Promise<unknown>>,
  ): RunContext {
    const { taskName } = data;
    const publish = (update: UpdateMessage): void => {
      if (!this.running.has(jobId) || this.publisher === undefined) return;
      // Progress and output are best effort: a lost line must not fail the run.
      const sent = this.publisher
        .publish(this.settings.names.updateChannel, JSON.stringify(update))
        .catch(() => undefined);
      published.add(sent);
      void sent.then(() => published.delete(sent));
    };
    return {
      taskName,
      // Asked for only by a task that takes it.
      get signal() {
        return abort.signal;
      },
      container: this.app.container,
      report: (fraction, message) => {
        publish({ jobId, type: 'progress', ...checkProgress(taskName, fraction, message) });
      },
      write: (line: OutputLine) => {
        publish({ jobId, type: 'output', line: { ...line, at: line.at.getTime() } });
      },
    };
  }

  private async runTask(data: QueueJob, def: ExecutableTask, run: RunContext): Promise<QueueResult> {
    const { taskName } = data;
    try {
      const args = fillRun(taskName, def.signature, { ...data, args: data.args.map(fromJsonValue) }, run);
      // Inside the run's trace context from the job, entered by this app's own instrumentation.
      const returned = await this.app.enterCarried(data.trace, () => def.invoke(args));
      const encoded = toJsonValue(returned, 'return value');
      if ('path' in encoded)
        throw new SerializationError(taskName, 'return value', encoded.path, encoded.problem, 'queue');
      return { type: 'success', returnValue: encoded.value };
    } catch (error) {
      return { type: error instanceof TaskInaction ? 'inaction' : 'fail', error: toWireError(error) };
    }
  }
}
