import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';
import * as restrict from './restrict';
import type { PeriodUnit } from './TimePeriod';
import type { TimePeriod } from './TimePeriod';

/** True while now is inside a recurring window, whatever the task did: a pure time window. */
export class WindowCondition extends Condition {
  constructor(
    /** The recurring window. */
    readonly period: TimePeriod,
    private readonly text: string,
  ) {
    super();
  }
  /** True while now is inside an occurrence of the window. */
  evaluate(ctx: ConditionContext): Evaluation {
    const occ = this.period.occurrenceAt(ctx.now, ctx.calendar);
    if (occ !== undefined) return { value: true, next: occ.end };
    return { value: false, next: this.period.nextStart(ctx.now, ctx.calendar) };
  }
  /** The window as text, in the condition syntax. */
  toString(): string {
    return this.text;
  }
}

/** Builds windows within one calendar unit: `timeOfDay.between('08:00', '20:00')`. */
export class WindowBuilder {
  constructor(
    /** The calendar unit the windows are built within. */
    readonly unit: PeriodUnit,
  ) {}

  private get name(): string {
    return `time of ${this.unit}`;
  }
  /** The window from `a` until `b` (exclusive; a weekday or month day includes that whole day). */
  between(a: string, b: string): WindowCondition {
    const r = restrict.between(this.unit, a, b, `${this.name} between`);
    return new WindowCondition(r.period, `${this.name} ${r.text}`);
  }
  /** From the start of the unit until `b`. */
  before(b: string): WindowCondition {
    const r = restrict.before(this.unit, b, `${this.name} before`);
    return new WindowCondition(r.period, `${this.name} ${r.text}`);
  }
  /** From `a` until the end of the unit. */
  after(a: string): WindowCondition {
    const r = restrict.after(this.unit, a, `${this.name} after`);
    return new WindowCondition(r.period, `${this.name} ${r.text}`);
  }
  /** One sub-unit from `x`: `timeOfWeek.on('Monday')` is all Monday. */
  on(x: string): WindowCondition {
    const r = restrict.at(this.unit, x, `${this.name} on`);
    return new WindowCondition(r.period, `${this.name} ${r.text.replace(/^at /, 'on ')}`);
  }
}

/** Windows within a second (milliseconds). @example `timeOfSecond.before('500')` */
export const timeOfSecond = new WindowBuilder('second');
/** Windows within a minute (seconds). @example `timeOfMinute.between('0', '30')` */
export const timeOfMinute = new WindowBuilder('minute');
/** Windows within an hour (minutes). @example `timeOfHour.before('15')` */
export const timeOfHour = new WindowBuilder('hour');
/** Windows within a day. @example `timeOfDay.between('08:00', '20:00')` */
export const timeOfDay = new WindowBuilder('day');
/** Windows within a week. @example `timeOfWeek.between('Mon', 'Fri')` */
export const timeOfWeek = new WindowBuilder('week');
/** Windows within a month. @example `timeOfMonth.before('10th')` */
export const timeOfMonth = new WindowBuilder('month');
