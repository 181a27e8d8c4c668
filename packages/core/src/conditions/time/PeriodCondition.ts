import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';
import * as restrict from './restrict';
import { TimePeriod, type PeriodUnit } from './TimePeriod';

const NAMES: Readonly<Record<PeriodUnit, string>> = {
  second: 'secondly',
  minute: 'minutely',
  hour: 'hourly',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

const reached = (t: number | undefined, since: number): boolean => t !== undefined && t >= since;

/**
 * "Once per period" (Rocketry's `daily`, `hourly`, ...): true while the current period (or its
 * restricted window) is on and the task has not yet finished a run in it. A failure also counts
 * as done for the period, and so does a crash (unless the task has `rerunCrashed`); combine with
 * `retry(n)` to try again after a failure.
 *
 * Not a time window: `daily.between('08:00', '10:00')` runs once between 8 and 10. For "every
 * 10 minutes between 8 and 10" use `timeOfDay.between('08:00', '10:00').and(every('10 minutes'))`.
 */
export class PeriodCondition extends Condition {
  constructor(
    /** The recurring window the task runs once in. */
    readonly period: TimePeriod,
    private readonly text: string,
  ) {
    super();
  }

  /** The task being checked (`undefined`), whose history decides whether it already ran in this occurrence. */
  override get dependsOn(): readonly (string | undefined)[] {
    return [undefined];
  }

  /** True inside an occurrence of the period until the task has run (succeeded, failed, did nothing, was terminated or crashed) in it. */
  evaluate(ctx: ConditionContext): Evaluation {
    const { now, calendar } = ctx;
    const occ = this.period.occurrenceAt(now, calendar);
    if (occ === undefined) return { value: false, next: this.period.nextStart(now, calendar) };
    if (ctx.taskName !== undefined) {
      const s = ctx.state(ctx.taskName);
      const done =
        reached(s.lastSuccess, occ.start) ||
        reached(s.lastFail, occ.start) ||
        reached(s.lastInaction, occ.start) ||
        reached(s.lastTerminate, occ.start) ||
        // A crashed run is the period's run too (it may have done its work before dying), unless
        // the task asks for Rocketry's rerun (`rerunCrashed`).
        (ctx.rerunsCrashed !== true && reached(s.lastCrash, occ.start)) ||
        (s.running > 0 && reached(s.lastRun, occ.start));
      if (done) return { value: false, next: this.period.nextStart(now, calendar) };
    }
    return { value: true, next: occ.end };
  }

  /** The condition as text, in the condition syntax. */
  toString(): string {
    return this.text;
  }

  /** Once, between `a` and `b` (`'08:00'`, `'Mon'`, `'15th'` depending on the period). */
  between(a: string, b: string): PeriodCondition {
    return this.restricted(restrict.between(this.period.unit, a, b, `${this.text}.between`));
  }
  /** Once, before `b`. */
  before(b: string): PeriodCondition {
    return this.restricted(restrict.before(this.period.unit, b, `${this.text}.before`));
  }
  /** Once, after `a`. */
  after(a: string): PeriodCondition {
    return this.restricted(restrict.after(this.period.unit, a, `${this.text}.after`));
  }
  /** Once, within one sub-unit from `x`: `daily.at('10:00')` is 10:00-11:00. */
  at(x: string): PeriodCondition {
    return this.restricted(restrict.at(this.period.unit, x, `${this.text}.at`));
  }
  /** Once per period anchored at `x`: `daily.starting('06:00')` runs once between 06:00 and the next 06:00. */
  starting(x: string): PeriodCondition {
    return this.restricted(restrict.starting(this.period.unit, x, `${this.text}.starting`));
  }
  /** Same as `at`: `weekly.on('Monday')`. */
  on(x: string): PeriodCondition {
    return this.restricted({ ...restrict.at(this.period.unit, x, `${this.text}.on`), text: `on ${x}` });
  }

  private restricted(r: restrict.Restriction): PeriodCondition {
    return new PeriodCondition(r.period, `${NAMES[this.period.unit]} ${r.text}`);
  }
}

/** Once per second. @example `secondly` */
export const secondly = new PeriodCondition(new TimePeriod('second', undefined, undefined), 'secondly');
/** Once per minute. @example `minutely.at('30')` (at :30 seconds) */
export const minutely = new PeriodCondition(new TimePeriod('minute', undefined, undefined), 'minutely');
/** Once per hour. @example `hourly.between('15', '45')` (minutes) */
export const hourly = new PeriodCondition(new TimePeriod('hour', undefined, undefined), 'hourly');
/** Once per day. @example `daily.between('08:00', '10:00')` */
export const daily = new PeriodCondition(new TimePeriod('day', undefined, undefined), 'daily');
/** Once per week (weeks start on Monday). @example `weekly.on('Friday')` */
export const weekly = new PeriodCondition(new TimePeriod('week', undefined, undefined), 'weekly');
/** Once per month. @example `monthly.at('1st')` */
export const monthly = new PeriodCondition(new TimePeriod('month', undefined, undefined), 'monthly');
