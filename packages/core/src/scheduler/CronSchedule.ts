import { Cron } from 'croner';
import type { CronSchedule } from '../conditions/ConditionContext';

/** A croner pattern wrapped for `cron(...)` conditions; one per distinct expression per app. */
export class CronerSchedule implements CronSchedule {
  private readonly cron: Cron;
  readonly resolution: number;

  constructor(expression: string, timezone: string | undefined) {
    this.cron = new Cron(expression, { paused: true, ...(timezone === undefined ? {} : { timezone }) });
    this.resolution = expression.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
  }

  // Every task with this expression asks about the same slot in the same pass: remember the
  // last answer of each kind, so croner is asked once per slot, not once per task.
  private matchedSlot = NaN;
  private matched = false;
  private nextFrom = NaN;
  private nextAt = Infinity;

  matches(instant: number): boolean {
    if (instant !== this.matchedSlot) {
      this.matched = this.cron.match(new Date(instant));
      this.matchedSlot = instant;
    }
    return this.matched;
  }

  nextAfter(instant: number): number {
    // The next match is the same for every instant between the last question and its answer.
    if (!(instant >= this.nextFrom && instant < this.nextAt)) {
      this.nextAt = this.cron.nextRun(new Date(instant))?.getTime() ?? Infinity;
      this.nextFrom = instant;
    }
    return this.nextAt;
  }
}
