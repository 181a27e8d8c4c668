import type { Condition } from '../../conditions/Condition';
import type { Explanation } from '../../conditions/Explanation';
import type { TaskStateView } from '../../conditions/ConditionContext';
import { ApogeeError } from '../../errors/ApogeeError';
import { QueueFullError } from '../../errors/QueueFullError';
import type { RunAction } from '../../conditions/runActions';
import type { Parameters } from '../../params/levels';
import type { BackfillOptions, BackfillReport } from '../backfill/BackfillRange';
import type { TaskDefinition } from './TaskDefinition';
import { nextRunId } from '../../execution/nextRunId';

/** @internal One queued run: its batch parameters and the run id reserved for it. */
export interface Batch {
  readonly params: Parameters;
  readonly runId: string;
  /** The instant the run is due for (`@ScheduledAt()`): when it was requested, or a missed cron instant. */
  readonly scheduledAt?: number;
  /**
   * A missed instant run late (a catch-up or a failover gap): a cron slot that opens while it is
   * live is queued behind it, not skipped, since the live run is an older instant's.
   */
  readonly late?: true;
}

/** What a task needs from the scheduler that owns it. */
export interface TaskHost {
  state(taskName: string): TaskStateView;
  /** Something about the task changed (a batch, `disabled`): check it again soon. */
  wake(task: ScheduledTask): void;
  terminate(task: ScheduledTask): void;
  /** @internal Where `task.run(params)` goes (queued here, or sent to the leader); default: queued here. */
  submit?(task: ScheduledTask, batch: Batch): string;
  /** @internal {@link TaskHost.submit} for a caller that waits for a leader elsewhere to take it (or refuse it). */
  submitAwaited?(task: ScheduledTask, batch: Batch, bound?: number): Promise<string>;
  /** @internal The task's queue grew or shrank. */
  batchesChanged?(task: ScheduledTask): void;
  nextRun(task: ScheduledTask): Date | undefined;
  /** The scheduler's clock, ms since the epoch. */
  now(): number;
  /** `task.disabled` changed through the public API: persist it (see `RunLog.setDisabled`). */
  disabledChanged(task: ScheduledTask, disabled: boolean): void;
  explain(task: ScheduledTask): Explanation;
  backfill(task: ScheduledTask, options: BackfillOptions): Promise<BackfillReport>;
  remove(task: ScheduledTask): Promise<void>;
}

const toDate = (t: number | undefined): Date | undefined => (t === undefined ? undefined : new Date(t));

/**
 * A registered task: what `app.session.get(name)` returns and `@CurrentTask()` injects.
 *
 * @example
 * ```ts
 * const task = app.session.get('report');
 * task.run({ user: 'ada' }); // queue one run with batch parameters
 * ```
 */
export class ScheduledTask {
  // Batches are consumed from the front: a head index keeps that O(1) even for long queues.
  private queue: Batch[] | undefined;
  private head = 0;
  private isDisabled: boolean;
  private skips = 0;
  /** `remove()` was called: the task is out of its app for good. */
  private isRemoved = false;

  /** @internal The settled definition: engine parts read it; it is not part of the public API. */
  readonly definition: TaskDefinition;
  /** @internal Registration order, the tie-break for equal priorities. */
  readonly order: number;

  /** @internal Built by the app at registration. */
  constructor(
    definition: TaskDefinition,
    private readonly host: TaskHost,
    order: number,
  ) {
    this.definition = definition;
    this.order = order;
    this.isDisabled = definition.disabled;
  }

  /** The task's unique name. */
  get name(): string {
    return this.definition.name;
  }
  /** Task-level parameters. */
  get parameters(): Parameters {
    return this.definition.parameters;
  }
  /** The condition that starts the task. */
  get start(): Condition {
    return this.definition.start;
  }
  /** The condition that terminates a running run, or `undefined` if none. */
  get end(): Condition | undefined {
    return this.definition.end;
  }
  /** Higher starts first when several tasks are due together; ties go by registration order. */
  get priority(): number {
    return this.definition.priority;
  }

  /** Queued batch parameters, oldest first. Each run consumes the oldest. */
  get batches(): readonly Parameters[] {
    return this.queue === undefined ? [] : this.queue.slice(this.head).map((b) => b.params);
  }

  /** @internal How many batches wait. */
  get batchCount(): number {
    return this.queue === undefined ? 0 : this.queue.length - this.head;
  }

  /**
   * Queue one run with `params` as batch parameters (the highest level). It runs as soon as the
   * scheduler can, even if the task is disabled or its condition is false. Throws
   * `QueueFullError` when `maxBatches` runs already wait.
   *
   * @returns the id the run will have (its `runId` in events and records), so that a caller can
   * follow that one run.
   */
  run(params: Parameters = {}): string {
    const batch = this.newBatch(params);
    return this.host.submit?.(this, batch) ?? this.enqueue(batch);
  }

  /**
   * @internal `run(params)` for a caller that can wait (the control API): on a replica that does
   * not lead, it settles once the leader's store took the request, and rejects with
   * `QueueFullError` when the store refused it (`maxBatches` runs wait or are on their way;
   * `bound` instead when it is lower).
   */
  async runAwaited(params: Parameters = {}, bound?: number): Promise<string> {
    const batch = this.newBatch(params);
    return this.host.submitAwaited === undefined
      ? (this.host.submit?.(this, batch) ?? this.enqueue(batch))
      : this.host.submitAwaited(this, batch, bound);
  }

  /** A batch of `params` asked for now, with the id its run will have (refused on a removed task). */
  private newBatch(params: Parameters): Batch {
    this.refuseIfRemoved('run');
    return { params: { ...params }, runId: nextRunId(), scheduledAt: this.host.now() };
  }

  /** @internal Queues a batch whose run id was reserved elsewhere (another process, say). */
  enqueue(batch: Batch): string {
    const { maxBatches } = this.definition;
    if (this.batchCount >= maxBatches) throw new QueueFullError(this.name, this.batchCount, maxBatches);
    (this.queue ??= []).push(batch);
    this.host.batchesChanged?.(this);
    this.host.wake(this);
    return batch.runId;
  }

  /** Terminate the task's live runs: their `@Signal()` aborts and they are recorded as `terminate`. */
  terminate(): void {
    this.host.terminate(this);
  }

  /** The last action recorded, or `undefined` if the task never ran. */
  get status(): RunAction | undefined {
    return this.host.state(this.name).status;
  }
  /** When the task last started, or `undefined` if it never ran. */
  get lastRun(): Date | undefined {
    return toDate(this.host.state(this.name).lastRun);
  }
  /** When the task last succeeded, or `undefined` if it never did. */
  get lastSuccess(): Date | undefined {
    return toDate(this.host.state(this.name).lastSuccess);
  }
  /** When the task last failed, or `undefined` if it never did. */
  get lastFail(): Date | undefined {
    return toDate(this.host.state(this.name).lastFail);
  }
  /** Whether a run of the task is live now. */
  get isRunning(): boolean {
    return this.host.state(this.name).running > 0;
  }

  /**
   * A disabled task does not start on its condition; batches still run. Setting it is
   * `disable()` or `enable()`.
   */
  get disabled(): boolean {
    return this.isDisabled;
  }
  set disabled(value: boolean) {
    if (value) this.disable();
    else this.enable();
  }

  /**
   * Stops the task from starting on its condition (batches still run) until `enable()`. The
   * state is stored in the run log when it can keep it (`RunLog.setDisabled`), so it survives a
   * restart and wins over the `disabled` option in code.
   */
  disable(): void {
    this.isDisabled = true;
    this.host.disabledChanged(this, true);
    this.host.wake(this);
  }

  /** Lets the task start on its condition again, and restarts its count of failures in a row (`pauseAfterFailures`). */
  enable(): void {
    this.isDisabled = false;
    this.host.disabledChanged(this, false);
    this.host.wake(this);
  }

  /** @internal Sets the state a run log stored, without storing it again. */
  restoreDisabled(value: boolean): void {
    this.isDisabled = value;
    this.host.wake(this);
  }

  /**
   * Due instants that did not get a run of their own because one was live (`overlap`), since the
   * app was created: each is also emitted as `taskSkipped`.
   */
  get skipped(): number {
    return this.skips;
  }

  /** @internal Counts one skipped due instant. */
  countSkip(): void {
    this.skips++;
  }

  /**
   * The next instant its start condition can be true, or `undefined` when that depends on a
   * custom condition, another task or an observable (or never comes).
   */
  nextRun(): Date | undefined {
    return this.host.nextRun(this);
  }

  /**
   * Its start condition as a tree: which parts hold now, which do not, and when each can next
   * become true. Works before `app.run()`; custom conditions show what they last answered.
   *
   * @example
   * ```ts
   * const why = app.session.get('report').explain();
   * if (!why.value) console.log(why.children.filter((c) => !c.value).map((c) => c.condition));
   * ```
   */
  explain(): Explanation {
    return this.host.explain(this);
  }

  /**
   * Runs the task once for each instant its time schedule (`cron`, `every`, a period such as
   * `daily.at(...)`, or `fromParam` holding one) produced in `[from, to)`, oldest first, each with
   * `@ScheduledAt()` giving its instant and `RunRecord.scheduledAt` set. Instants that already
   * have a run recorded with that `scheduledAt` are skipped, so running the same backfill twice
   * runs nothing new (across restarts with a persistent log). The runs queue as `task.run()`
   * does (through the leader on many instances), so the task's `overlap` (they never cut a live
   * run short; more than one at once only with `'allow'`, up to `concurrency`), `timeout` and
   * `execution` apply. `every` counts from `from`.
   *
   * Throws a `ConfigurationError` naming the task when its start has no time schedule (only
   * `afterSuccess`, a custom condition, ...), for invalid dates, `from` not before `to`, `to`
   * after now, or more than 10,000 instants. Rejects with code `BACKFILL_INTERRUPTED` when the
   * app shuts down first.
   *
   * @example
   * ```ts
   * const report = await app.session.get('nightly').backfill({ from: '2026-03-01T00:00:00Z', to: new Date() });
   * console.log(`${report.started} runs, ${report.failed} failed, ${report.skipped} already done`);
   * ```
   */
  backfill(options: BackfillOptions): Promise<BackfillReport> {
    this.refuseIfRemoved('backfill');
    return this.host.backfill(this, options);
  }

  /**
   * Takes the task out of its app while it runs (`@nestjs/schedule`'s `deleteCronJob`): it no
   * longer starts, its queued runs are dropped, and it leaves `app.session` (and so the control
   * API, the CLI and the dashboard). Its live runs end as at shutdown: waited for, or terminated
   * with `config.instantShutdown` or a `permanent` task; the promise resolves once they have
   * ended. Its history stays in the run log, and a task may be registered under its name again.
   * On many instances it takes the task out of this process only.
   *
   * @example
   * ```ts
   * await app.session.get('legacyImport').remove();
   * app.task({ name: 'legacyImport', start: cron('0 4 * * *') }, importV2);
   * ```
   */
  remove(): Promise<void> {
    if (this.isRemoved) return Promise.resolve();
    this.isRemoved = true;
    return this.host.remove(this);
  }

  /** Whether `remove()` took the task out of its app. */
  get removed(): boolean {
    return this.isRemoved;
  }

  private refuseIfRemoved(what: string): void {
    if (this.isRemoved)
      throw new ApogeeError(
        'TASK_REMOVED',
        `Task "${this.name}" was removed (task.remove()), so task.${what}() has nothing to run. ` +
          'Fix: look the task up again with app.session.get(name) if it was registered anew.',
        { taskName: this.name },
      );
  }

  /** @internal Takes the oldest batch. */
  takeBatch(): Batch | undefined {
    const queue = this.queue;
    if (queue === undefined || this.head >= queue.length) return undefined;
    const batch = queue[this.head];
    queue[this.head++] = undefined as never;
    if (this.head === queue.length) {
      this.queue = undefined;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    this.host.batchesChanged?.(this);
    return batch;
  }

  /** A short description: the task's name and start condition. */
  toString(): string {
    return `ScheduledTask(${this.name}, start: ${this.start.toString()})`;
  }
}
