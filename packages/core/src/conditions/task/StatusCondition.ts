import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext, TaskStateView } from '../ConditionContext';
import type { RunAction } from '../runActions';
import { lastAt } from './lastAt';
import { CURRENT_PERIOD_TEXT } from '../time/currentPeriodText';
import * as restrict from '../time/restrict';
import { TimePeriod, type PeriodUnit } from '../time/TimePeriod';

/** Which record a status condition looks for. */
export type StatusKind = 'started' | 'succeeded' | 'failed' | 'finished' | 'terminated' | 'inacted';

/** The actions whose records a status kind counts. */
const ACTIONS: Readonly<Record<StatusKind, readonly RunAction[]>> = {
  started: ['run'],
  succeeded: ['success'],
  failed: ['fail'],
  terminated: ['terminate'],
  inacted: ['inaction'],
  finished: ['success', 'fail', 'terminate'],
};

/** The latest record of the actions `kind` counts. */
const lastOf = (s: TaskStateView, kind: StatusKind): number | undefined => {
  const times = ACTIONS[kind].map((a) => lastAt(s, a)).filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
};

/** When a status counts: ever, in the current (or latest) occurrence of a period, or within a span before now. */
export type StatusWindow =
  | { readonly kind: 'ever' }
  | { readonly kind: 'period'; readonly period: TimePeriod; readonly text: string }
  | { readonly kind: 'past'; readonly ms: number; readonly text: string };

/**
 * True when the task (the checked one, or `task`) has a record of `kind`: ever, within the
 * current calendar period (`.today`, `.thisHour`, ...), or within the last span of time.
 */
export class StatusCondition extends Condition {
  constructor(
    /** Which status is checked, such as `'succeeded'` or `'started'`. */
    readonly kind: StatusKind,
    /** The task whose history is read, or `undefined` for the task being checked. */
    readonly task: string | undefined,
    /** When the status must have happened: ever (the default), in the current period, or within the last span of time. */
    readonly window: StatusWindow = { kind: 'ever' },
  ) {
    super();
  }
  /** The task whose history is read. */
  override get dependsOn(): readonly (string | undefined)[] {
    return [this.task];
  }
  /** The run actions whose records this status counts. */
  get actions(): readonly RunAction[] {
    return ACTIONS[this.kind];
  }
  /** Predictable only for the checked task itself; another task's history can change at any time. */
  override get predictable(): boolean {
    return this.task === undefined;
  }
  /** True when the task's last record of this kind falls in the window. */
  evaluate(ctx: ConditionContext): Evaluation {
    const name = this.task ?? ctx.taskName;
    const last = name === undefined ? undefined : lastOf(ctx.state(name), this.kind);
    const { window } = this;
    switch (window.kind) {
      case 'ever':
        return { value: last !== undefined, next: Infinity };
      case 'past': {
        const value = last !== undefined && last >= ctx.now - window.ms;
        return { value, next: value ? last + window.ms : Infinity };
      }
      case 'period': {
        const occ = window.period.latestAt(ctx.now, ctx.calendar);
        const inOcc = (t: number | undefined): boolean =>
          occ !== undefined && t !== undefined && t >= occ.start && t < occ.end;
        // The last record may lie outside the window after an earlier one inside it (a success
        // at 07:20, another at 09:00): the index keeps the latest one inside it too.
        const value =
          inOcc(last) ||
          (name !== undefined && inOcc(ctx.lastInside(name, ACTIONS[this.kind], window.period)));
        return { value, next: window.period.nextStart(ctx.now, ctx.calendar) };
      }
    }
  }
  /** The condition in the string syntax, such as `task 'fetch' has succeeded today`. */
  toString(): string {
    const subject = this.task === undefined ? '' : `task '${this.task}' `;
    const suffix = this.window.kind === 'ever' ? '' : ` ${this.window.text}`;
    return `${subject}has ${this.kind}${suffix}`;
  }

  private within(unit: PeriodUnit): StatusInPeriod {
    return new StatusInPeriod(this.kind, this.task, unit);
  }
  /** Within the current minute. */
  get thisMinute(): StatusInPeriod {
    return this.within('minute');
  }
  /** Within the current hour. */
  get thisHour(): StatusInPeriod {
    return this.within('hour');
  }
  /** Within the current day. */
  get today(): StatusInPeriod {
    return this.within('day');
  }
  /** Within the current week (from Monday). */
  get thisWeek(): StatusInPeriod {
    return this.within('week');
  }
  /** Within the current month. */
  get thisMonth(): StatusInPeriod {
    return this.within('month');
  }
}

/**
 * A status within the current period (`succeeded('a').today`), which can be restricted further
 * to a window of that period, as in the string form `has succeeded today between 12:00 and 15:00`.
 *
 * @example
 * ```ts
 * succeeded('fetch').today.between('12:00', '15:00');
 * started('fetch').thisWeek.before('Mon');
 * ```
 */
export class StatusInPeriod extends StatusCondition {
  constructor(
    kind: StatusKind,
    task: string | undefined,
    /** The current calendar period the status is checked in. */
    readonly unit: PeriodUnit,
  ) {
    super(kind, task, {
      kind: 'period',
      period: new TimePeriod(unit, undefined, undefined),
      text: CURRENT_PERIOD_TEXT[unit],
    });
  }
  /** Only within `[a, b)` of the period (a named day such as 'Fri' or '5th' is included). */
  between(a: string, b: string): StatusCondition {
    return this.restricted(restrict.between(this.unit, a, b, this.what('between')));
  }
  /** Only from the start of the period until `b` (a named day is included). */
  before(b: string): StatusCondition {
    return this.restricted(restrict.before(this.unit, b, this.what('before')));
  }
  /** Only from `a` until the end of the period. */
  after(a: string): StatusCondition {
    return this.restricted(restrict.after(this.unit, a, this.what('after')));
  }
  /** Only within one sub-unit from `x` (`thisWeek.on('Mon')` is all Monday). */
  on(x: string): StatusCondition {
    const r = restrict.at(this.unit, x, this.what('on'));
    return this.restricted({ ...r, text: `on ${x}` });
  }
  /** Within the whole period anchored at `x` instead of at its start. */
  starting(x: string): StatusCondition {
    return this.restricted(restrict.starting(this.unit, x, this.what('starting')));
  }

  private what(method: string): string {
    const subject = this.task === undefined ? '' : `'${this.task}'`;
    return `${this.kind}(${subject}).${PERIOD_PROPERTY[this.unit]}.${method}`;
  }
  private restricted(r: restrict.Restriction): StatusCondition {
    return new StatusCondition(this.kind, this.task, {
      kind: 'period',
      period: r.period,
      text: `${CURRENT_PERIOD_TEXT[this.unit]} ${r.text}`,
    });
  }
}

const PERIOD_PROPERTY: Readonly<Record<PeriodUnit, string>> = {
  second: 'thisSecond',
  minute: 'thisMinute',
  hour: 'thisHour',
  day: 'today',
  week: 'thisWeek',
  month: 'thisMonth',
};

/**
 * True when `task` (default: the checked task) has started, ever or within a window.
 *
 * @example
 * ```ts
 * started('fetch').today
 * ```
 */
export const started = (task?: string): StatusCondition => new StatusCondition('started', task);
/**
 * True when `task` (default: the checked task) has succeeded, ever or within a window.
 *
 * @example
 * ```ts
 * succeeded('fetch').thisHour
 * ```
 */
export const succeeded = (task?: string): StatusCondition => new StatusCondition('succeeded', task);
/**
 * True when `task` (default: the checked task) has failed, ever or within a window.
 *
 * @example
 * ```ts
 * failed().today
 * ```
 */
export const failed = (task?: string): StatusCondition => new StatusCondition('failed', task);
/**
 * True when `task` (default: the checked task) has finished (succeeded, failed or been
 * terminated), ever or within a window.
 *
 * @example
 * ```ts
 * finished('fetch').today
 * ```
 */
export const finished = (task?: string): StatusCondition => new StatusCondition('finished', task);
