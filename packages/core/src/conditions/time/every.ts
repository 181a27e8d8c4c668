import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';
import { toMilliseconds, type Duration } from '../../time/Duration';

/** True when the task has not started within the last `interval` (Rocketry's `every`). */
export class EveryCondition extends Condition {
  readonly interval: number;
  constructor(private readonly input: Duration) {
    super();
    this.interval = toMilliseconds(input, 'every');
    if (this.interval <= 0)
      throw new RangeError(`every: interval ${String(input)} must be longer than 0 ms.`);
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [undefined];
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const last = ctx.taskName === undefined ? undefined : ctx.state(ctx.taskName).lastRun;
    // A last run "in the future" means the wall clock was set back since: the interval counts as
    // gone, so the task runs now and keeps its rhythm from there instead of waiting out the step.
    if (last === undefined || last > ctx.now || ctx.now - last >= this.interval)
      return { value: true, next: Infinity };
    return { value: false, next: last + this.interval };
  }
  toString(): string {
    return typeof this.input === 'number' ? `every ${this.input} ms` : `every ${this.input}`;
  }
}

/**
 * True when the task has not started within the last `interval`; the first check is true.
 *
 * @example
 * ```ts
 * every('10 seconds')
 * ```
 */
export function every(interval: Duration): Condition {
  return new EveryCondition(interval);
}
