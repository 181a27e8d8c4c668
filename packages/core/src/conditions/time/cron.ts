import { errorMessage } from '../../errors/errorMessage';
import { Cron } from 'croner';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/**
 * True in a matching cron minute (or second, with six fields) until the task has started in it
 * (Rocketry's `cron`). The pattern is parsed once per distinct expression per app.
 */
export class CronCondition extends Condition {
  constructor(readonly expression: string) {
    super();
    try {
      // Parse now so a bad pattern fails where it is written; the app keeps its own parsed copy.
      new Cron(expression, { paused: true });
    } catch (error) {
      throw new ConditionSyntaxError(
        expression,
        0,
        `croner rejected the cron pattern (${errorMessage(error)})`,
        "Use five fields 'minute hour day-of-month month day-of-week' (e.g. '*/5 * * * *'), or six with seconds first.",
      );
    }
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [undefined];
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const schedule = ctx.cron(this.expression);
    const slot = Math.floor(ctx.now / schedule.resolution) * schedule.resolution;
    if (schedule.matches(slot)) {
      const state = ctx.taskName === undefined ? undefined : ctx.state(ctx.taskName);
      // The instant the last run was due for, not when it began: a late run is its own slot's.
      const last = state?.lastDue ?? state?.lastRun;
      if (last === undefined || last < slot) return { value: true, next: slot + schedule.resolution };
    }
    return { value: false, next: schedule.nextAfter(ctx.now) };
  }
  toString(): string {
    return `cron ${this.expression}`;
  }
}

/**
 * A cron schedule, using croner: five fields, or six with seconds first; day-of-month and
 * day-of-week are OR-ed as in classic cron.
 *
 * @example
 * ```ts
 * cron('0 3 * * *') // every day at 03:00
 * ```
 */
export function cron(expression: string): Condition {
  return new CronCondition(expression);
}
