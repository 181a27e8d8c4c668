import type { Condition } from '../conditions/Condition';
import type { TaskStateView } from '../conditions/ConditionContext';
import { QueueFullError } from '../errors/QueueFullError';
import type { RunAction } from '../conditions/runActions';
import type { Parameters } from '../params/levels';
import type { TaskDefinition } from './TaskDefinition';
import { nextRunId } from '../execution/nextRunId';

/** @internal One queued run: its batch parameters and the run id reserved for it. */
export interface Batch {
  readonly params: Parameters;
  readonly runId: string;
}

/** What a task needs from the scheduler that owns it. */
export interface TaskHost {
  state(taskName: string): TaskStateView;
  /** Something about the task changed (a batch, `disabled`): check it again soon. */
  wake(task: ScheduledTask): void;
  terminate(task: ScheduledTask): void;
  /** Where `task.run(params)` goes (queued here, or sent to the leader); default: queued here. */
  submit?(task: ScheduledTask, batch: { readonly params: Parameters; readonly runId: string }): string;
  nextRun(task: ScheduledTask): Date | undefined;
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

  get name(): string {
    return this.definition.name;
  }
  /** Task-level parameters. */
  get parameters(): Parameters {
    return this.definition.parameters;
  }
  get start(): Condition {
    return this.definition.start;
  }
  get end(): Condition | undefined {
    return this.definition.end;
  }
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
    const batch = { params: { ...params }, runId: nextRunId() };
    return this.host.submit?.(this, batch) ?? this.enqueue(batch);
  }

  /** @internal Queues a batch whose run id was reserved elsewhere (another process, say). */
  enqueue(batch: Batch): string {
    const { maxBatches } = this.definition;
    if (this.batchCount >= maxBatches) throw new QueueFullError(this.name, this.batchCount, maxBatches);
    (this.queue ??= []).push(batch);
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
  get lastRun(): Date | undefined {
    return toDate(this.host.state(this.name).lastRun);
  }
  get lastSuccess(): Date | undefined {
    return toDate(this.host.state(this.name).lastSuccess);
  }
  get lastFail(): Date | undefined {
    return toDate(this.host.state(this.name).lastFail);
  }
  get isRunning(): boolean {
    return this.host.state(this.name).running > 0;
  }

  /** A disabled task does not start on its condition; batches still run. */
  get disabled(): boolean {
    return this.isDisabled;
  }
  set disabled(value: boolean) {
    this.isDisabled = value;
    this.host.wake(this);
  }

  /**
   * The next instant its start condition can be true, or `undefined` when that depends on a
   * custom condition, another task or an observable (or never comes).
   */
  nextRun(): Date | undefined {
    return this.host.nextRun(this);
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
    return batch;
  }

  toString(): string {
    return `ScheduledTask(${this.name}, start: ${this.start.toString()})`;
  }
}
