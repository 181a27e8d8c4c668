import type { Condition, Evaluation } from '../../conditions/Condition';
import type { ScheduledTask } from '../task/ScheduledTask';

/** Who is told that an asynchronous check has settled (or timed out). */
export interface CheckWaker {
  /** The check for `task` (`undefined`: `shutdownWhen`) has a result waiting: look at it again. */
  checkSettled(task: ScheduledTask | undefined): void;
}

/** A check under way, or its result waiting for the next look at its task. */
type Slot =
  | { readonly pending: true; readonly timer: ReturnType<typeof setTimeout> }
  | { readonly pending: false; readonly result: Evaluation };

/** What {@link AsyncChecks.take} returns while the check is still under way. */
export const PENDING = Symbol('pending');

/**
 * Asynchronous condition checks, kept off the scheduler's pass so that a slow or stuck check
 * holds up its own task only. The pass starts a check and moves on; when the check settles (or
 * its time limit passes first) the result is kept and the task is looked at again, and that look
 * takes the result. A result the look does not need (the run it was for has ended) is dropped.
 */
export class AsyncChecks {
  /** Per task, per condition: one check at a time. */
  private readonly slots = new Map<ScheduledTask | undefined, Map<Condition, Slot>>();

  constructor(private readonly waker: CheckWaker) {}

  /** The waiting result of `condition` for `task`, taken; {@link PENDING} while under way; `undefined` if none. */
  take(task: ScheduledTask | undefined, condition: Condition): Evaluation | typeof PENDING | undefined {
    const slot = this.slots.get(task)?.get(condition);
    if (slot === undefined) return undefined;
    if (slot.pending) return PENDING;
    this.remove(task, condition);
    return slot.result;
  }

  /**
   * Watches a check under way: its result waits for the next look at `task`. Past `limit` ms the
   * result is `timedOut()` instead and the check's late answer is ignored.
   */
  watch(
    task: ScheduledTask | undefined,
    condition: Condition,
    check: Promise<Evaluation>,
    limit: number,
    timedOut: () => Evaluation,
  ): void {
    let perTask = this.slots.get(task);
    if (perTask === undefined) {
      perTask = new Map();
      this.slots.set(task, perTask);
    }
    const slots = perTask;
    const settle = (result: Evaluation): void => {
      if (slots.get(condition) !== slot) return; // timed out already, or cleared at shutdown
      clearTimeout(slot.timer);
      slots.set(condition, { pending: false, result });
      this.waker.checkSettled(task);
    };
    const slot = {
      pending: true,
      timer: setTimeout(() => {
        settle(timedOut());
      }, limit),
    } as const;
    slots.set(condition, slot);
    // The check never rejects (a failure is already a false result), but a bug must not go unhandled.
    check.then(settle, () => {
      settle({ value: false, next: Infinity });
    });
  }

  /** Drops the results the last look at `task` did not take; checks under way go on. */
  dropSettled(task: ScheduledTask | undefined): void {
    const perTask = this.slots.get(task);
    if (perTask === undefined) return;
    for (const [condition, slot] of perTask) if (!slot.pending) perTask.delete(condition);
    if (perTask.size === 0) this.slots.delete(task);
  }

  /** Forgets every check (at shutdown): their timers stop and their answers are ignored. */
  clear(): void {
    for (const perTask of this.slots.values())
      for (const slot of perTask.values()) if (slot.pending) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private remove(task: ScheduledTask | undefined, condition: Condition): void {
    const perTask = this.slots.get(task);
    perTask?.delete(condition);
    if (perTask?.size === 0) this.slots.delete(task);
  }
}
