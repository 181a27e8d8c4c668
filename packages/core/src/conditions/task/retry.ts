import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/** True when the checked task's last run failed and it has failed at most `times` times in a row. */
export class RetryCondition extends Condition {
  constructor(readonly times: number) {
    super();
    if (!Number.isInteger(times) || times < 0)
      throw new RangeError(`retry: ${times} must be a whole number of retries (0 or more).`);
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [undefined];
  }
  evaluate(ctx: ConditionContext): Evaluation {
    if (ctx.taskName === undefined) return { value: false, next: Infinity };
    const s = ctx.state(ctx.taskName);
    return { value: s.status === 'fail' && s.consecutiveFails <= this.times, next: Infinity };
  }
  toString(): string {
    return `retry ${this.times}`;
  }
}

/**
 * Run again after a failure, at most `times` times in a row.
 *
 * @example
 * ```ts
 * daily.or(retry(3))
 * ```
 */
export function retry(times: number): Condition {
  return new RetryCondition(times);
}
