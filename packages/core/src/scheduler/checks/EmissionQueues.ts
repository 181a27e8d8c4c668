import type { Subscription } from 'rxjs';
import { WhenCondition } from '../../conditions/custom/when';
import { walkCondition } from '../../conditions/walkCondition';
import { nextRunId } from '../../execution/nextRunId';
import type { Clock } from '../../time/Clock';
import type { EventSink } from '../events/EventSink';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';

/** Who is told that an emission arrived for a task. */
export interface EmissionWaker {
  wake(task: ScheduledTask): void;
}

/**
 * The emissions of `when(observable$)` conditions, queued per task and per `when`, so that
 * nothing is lost while a task is busy. Subscribed while the scheduler runs.
 */
export class EmissionQueues {
  // ---- state ----
  /** Per task, per `when` in its start condition: emissions not yet consumed, oldest first. */
  private readonly queues = new Map<ScheduledTask, Map<WhenCondition, unknown[]>>();
  /** Live subscriptions to the sources per task, ended by {@link EmissionQueues.unsubscribeAll}. */
  private readonly subscriptions = new Map<ScheduledTask, Subscription[]>();
  /** Sends an emission to the leader instead (a replica that does not lead); true if it did. */
  private forward: ((task: ScheduledTask, index: number, value: unknown) => boolean) | undefined;

  constructor(
    private readonly waker: EmissionWaker,
    private readonly events: EventSink,
    private readonly clock: Clock,
  ) {}

  /** Subscribes to every `when` in the task's start condition. */
  subscribe(task: ScheduledTask): void {
    walkCondition(task.start, (c) => {
      if (!(c instanceof WhenCondition)) return;
      let queues = this.queues.get(task);
      if (queues === undefined) {
        queues = new Map();
        this.queues.set(task, queues);
      }
      const queue: unknown[] = queues.get(c) ?? [];
      queues.set(c, queue);
      const index = [...queues.keys()].indexOf(c);
      let subscriptions = this.subscriptions.get(task);
      if (subscriptions === undefined) {
        subscriptions = [];
        this.subscriptions.set(task, subscriptions);
      }
      subscriptions.push(
        c.source.subscribe({
          next: (value) => {
            if (this.forward?.(task, index, value) === true) return;
            queue.push(value);
            this.waker.wake(task);
          },
          error: (error: unknown) => {
            this.events.notify({
              type: 'conditionFailed',
              taskName: task.name,
              at: new Date(this.clock.now()),
              error,
            });
          },
        }),
      );
    });
  }

  /** Emissions go through `forward` first; it returns true for those it sent elsewhere. */
  forwardWith(forward: (task: ScheduledTask, index: number, value: unknown) => boolean): void {
    this.forward = forward;
  }

  /** Queues an emission another replica forwarded, for the `index`-th `when` of the task. */
  push(task: ScheduledTask, index: number, value: unknown): void {
    const queue = [...(this.queues.get(task)?.values() ?? [])][index];
    if (queue === undefined)
      throw new RangeError(`task "${task.name}" has no when() number ${String(index + 1)}`);
    queue.push(value);
    this.waker.wake(task);
  }

  /** Ends every subscription; queued emissions stay for the next start. */
  unsubscribeAll(): void {
    for (const subscriptions of this.subscriptions.values()) for (const s of subscriptions) s.unsubscribe();
    this.subscriptions.clear();
  }

  /** Ends the task's subscriptions and drops its queued emissions (the task was removed). */
  forget(task: ScheduledTask): void {
    for (const s of this.subscriptions.get(task) ?? []) s.unsubscribe();
    this.subscriptions.delete(task);
    this.queues.delete(task);
  }

  /** Emissions of `source` (a `when` condition) waiting for `task`. */
  pending(task: ScheduledTask, source: object): number {
    return this.queues.get(task)?.get(source as WhenCondition)?.length ?? 0;
  }

  /**
   * Consumes the oldest emission of each `when` of the task; objects become batch parameters of
   * a run whose id is reserved here.
   */
  take(task: ScheduledTask): Batch | undefined {
    const queues = this.queues.get(task);
    if (queues === undefined) return undefined;
    let batch: Record<string, unknown> | undefined;
    for (const queue of queues.values()) {
      if (queue.length === 0) continue;
      const value = queue.shift();
      batch ??= {};
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(batch, value);
    }
    return batch === undefined ? undefined : { params: batch, runId: nextRunId() };
  }
}
