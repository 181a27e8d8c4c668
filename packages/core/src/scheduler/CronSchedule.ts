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

  matches(instant: number): boolean {
    return this.cron.match(new Date(instant));
  }

  nextAfter(instant: number): number {
    return this.cron.nextRun(new Date(instant))?.getTime() ?? Infinity;
  }
}
