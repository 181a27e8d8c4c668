import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext, TaskStateView } from '../ConditionContext';
import { CURRENT_PERIOD_TEXT } from '../time/currentPeriodText';
import { TimePeriod, type PeriodUnit } from '../time/TimePeriod';

/** Which record a status condition looks for. */
export type StatusKind = 'started' | 'succeeded' | 'failed' | 'finished' | 'terminated' | 'inacted';

const lastOf = (s: TaskStateView, kind: StatusKind): number | undefined => {
  switch (kind) {
    case 'started':
      return s.lastRun;
    case 'succeeded':
      return s.lastSuccess;
    case 'failed':
      return s.lastFail;
    case 'terminated':
      return s.lastTerminate;
    case 'inacted':
      return s.lastInaction;
    case 'finished': {
      const times = [s.lastSuccess, s.lastFail, s.lastTerminate].filter((t): t is number => t !== undefined);
      return times.length === 0 ? undefined : Math.max(...times);
    }
  }
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
    readonly kind: StatusKind,
    readonly task: string | undefined,
    readonly window: StatusWindow = { kind: 'ever' },
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
        const value = occ !== undefined && last !== undefined && last >= occ.start && last < occ.end;
        return { value, next: window.period.nextStart(ctx.now, ctx.calendar) };
      }
    }
  }
  toString(): string {
    const subject = this.task === undefined ? '' : `task '${this.task}' `;
    const suffix = this.window.kind === 'ever' ? '' : ` ${this.window.text}`;
    return `${subject}has ${this.kind}${suffix}`;
  }

  private within(unit: PeriodUnit): StatusCondition {
    return new StatusCondition(this.kind, this.task, {
      kind: 'period',
      period: new TimePeriod(unit, undefined, undefined),
      text: CURRENT_PERIOD_TEXT[unit],
    });
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
