import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext, TaskStateView } from '../ConditionContext';
import { TimePeriod, type PeriodUnit } from '../time/TimePeriod';

/** Which record a status condition looks for. */
export type StatusKind = 'started' | 'succeeded' | 'failed' | 'finished';

const lastOf = (s: TaskStateView, kind: StatusKind): number | undefined => {
  switch (kind) {
    case 'started':
      return s.lastRun;
    case 'succeeded':
      return s.lastSuccess;
    case 'failed':
      return s.lastFail;
    case 'finished': {
      const times = [s.lastSuccess, s.lastFail, s.lastTerminate].filter((t): t is number => t !== undefined);
      return times.length === 0 ? undefined : Math.max(...times);
    }
  }
};

const PERIOD_TEXT: Readonly<Record<PeriodUnit, string>> = {
  minute: 'this minute',
  hour: 'this hour',
  day: 'today',
  week: 'this week',
  month: 'this month',
};

/**
 * True when the task (the checked one, or `task`) has a record of `kind`, ever or within the
 * current calendar period (`.today`, `.thisHour`, ...).
 */
export class StatusCondition extends Condition {
  constructor(
    readonly kind: StatusKind,
    readonly task: string | undefined,
    readonly period: TimePeriod | undefined,
  ) {
    super();
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [this.task];
  }
  override get predictable(): boolean {
    return this.task === undefined;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const name = this.task ?? ctx.taskName;
    const last = name === undefined ? undefined : lastOf(ctx.state(name), this.kind);
    if (this.period === undefined) return { value: last !== undefined, next: Infinity };
    const occ = this.period.occurrenceAt(ctx.now, ctx.calendar);
    if (occ === undefined || last === undefined || last < occ.start) return { value: false, next: Infinity };
    return { value: true, next: occ.end };
  }
  toString(): string {
    const subject = this.task === undefined ? '' : `task '${this.task}' `;
    const word = { started: 'started', succeeded: 'succeeded', failed: 'failed', finished: 'finished' }[
      this.kind
    ];
    const period = this.period === undefined ? '' : ` ${PERIOD_TEXT[this.period.unit]}`;
    return `${subject}has ${word}${period}`;
  }

  private within(unit: PeriodUnit): StatusCondition {
    return new StatusCondition(this.kind, this.task, new TimePeriod(unit, undefined, undefined));
  }
  /** Within the current minute. */
  get thisMinute(): StatusCondition {
    return this.within('minute');
  }
  /** Within the current hour. */
  get thisHour(): StatusCondition {
    return this.within('hour');
  }
  /** Within the current day. */
  get today(): StatusCondition {
    return this.within('day');
  }
  /** Within the current week (from Monday). */
  get thisWeek(): StatusCondition {
    return this.within('week');
  }
  /** Within the current month. */
  get thisMonth(): StatusCondition {
    return this.within('month');
  }
}

/** @example `started('fetch').today`, or `started()` for the checked task. */
export const started = (task?: string): StatusCondition => new StatusCondition('started', task, undefined);
/** @example `succeeded('fetch').thisHour` */
export const succeeded = (task?: string): StatusCondition =>
  new StatusCondition('succeeded', task, undefined);
/** @example `failed().today` */
export const failed = (task?: string): StatusCondition => new StatusCondition('failed', task, undefined);
/** @example `finished('fetch').today` (success, failure or termination) */
export const finished = (task?: string): StatusCondition => new StatusCondition('finished', task, undefined);
