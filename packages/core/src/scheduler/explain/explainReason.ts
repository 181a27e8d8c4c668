import type { Condition } from '../../conditions/Condition';
import type { ConditionContext } from '../../conditions/ConditionContext';
import { DependCondition, type DependOutcome } from '../../conditions/task/DependCondition';
import { CURRENT_PERIOD_TEXT } from '../../conditions/time/currentPeriodText';
import { PeriodCondition } from '../../conditions/time/PeriodCondition';
import { wallClockText } from '../../time/wallText';

const PAST: Readonly<Record<DependOutcome, string>> = {
  success: 'succeeded',
  fail: 'failed',
  finish: 'finished',
};

/**
 * Why a node holds or not, in words, for the conditions whose value alone does not say it: a
 * period (not in its window, or already run in this one) and a dependency on another task.
 * `undefined` for the rest, whose text and next instant say enough.
 */
export function explainReason(
  condition: Condition,
  ctx: ConditionContext,
  value: boolean,
): string | undefined {
  if (condition instanceof PeriodCondition) return periodReason(condition, ctx, value);
  if (condition instanceof DependCondition) return dependReason(condition, ctx, value);
  return undefined;
}

function periodReason(condition: PeriodCondition, ctx: ConditionContext, value: boolean): string | undefined {
  const { period } = condition;
  const occ = period.occurrenceAt(ctx.now, ctx.calendar);
  if (occ === undefined) return 'outside its window now';
  const when = CURRENT_PERIOD_TEXT[period.unit];
  if (value) return `has not run ${when} yet`;
  if (ctx.taskName === undefined) return undefined;
  const s = ctx.state(ctx.taskName);
  const at = (t: number): string => wallClockText(t, ctx.calendar);
  if (s.running > 0 && s.lastRun !== undefined && s.lastRun >= occ.start)
    return `running ${when} since ${at(s.lastRun)}`;
  const started = s.lastRun !== undefined && s.lastRun >= occ.start ? s.lastRun : undefined;
  return started === undefined ? `already ran ${when}` : `already ran ${when} at ${at(started)}`;
}

function dependReason(condition: DependCondition, ctx: ConditionContext, value: boolean): string {
  const other = condition.task;
  const word = PAST[condition.outcome];
  const theirs = ctx.state(other).sequence;
  const happened =
    condition.outcome === 'success'
      ? theirs.success
      : condition.outcome === 'fail'
        ? theirs.fail
        : (theirs.success ?? theirs.fail);
  if (happened === undefined) return `${other} has not ${word} yet`;
  if (value) {
    return ctx.taskName !== undefined && ctx.state(ctx.taskName).sequence.run !== undefined
      ? `${other} ${word} after this task's last run`
      : `${other} ${word} and this task has not run since`;
  }
  return `${other} last ${word} before this task's last run`;
}
