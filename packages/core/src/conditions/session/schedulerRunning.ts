import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';
import { toMilliseconds, type Duration } from '../../time/Duration';

/** Bounds on how long the scheduler has run. */
export interface SchedulerRunningOptions {
  /** True only once the scheduler has run at least this long. Default: no lower bound. */
  readonly moreThan?: Duration;
  /** True only while the scheduler has run less than this long. Default: no upper bound. */
  readonly lessThan?: Duration;
}

/** True while the scheduler's uptime is within `[moreThan, lessThan)`. */
export class SchedulerRunningCondition extends Condition {
  private readonly min: number;
  private readonly max: number;
  constructor(private readonly options: SchedulerRunningOptions) {
    super();
    this.min =
      options.moreThan === undefined ? 0 : toMilliseconds(options.moreThan, 'schedulerRunning moreThan');
    this.max =
      options.lessThan === undefined
        ? Infinity
        : toMilliseconds(options.lessThan, 'schedulerRunning lessThan');
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const started = ctx.schedulerStartedAt;
    if (started === undefined) return { value: false, next: Infinity };
    const up = ctx.now - started;
    if (up < this.min) return { value: false, next: started + this.min };
    if (up < this.max) return { value: true, next: started + this.max };
    return { value: false, next: Infinity };
  }
  toString(): string {
    const parts: string[] = [];
    if (this.options.moreThan !== undefined)
      parts.push(`scheduler has run over ${String(this.options.moreThan)}`);
    if (this.options.lessThan !== undefined)
      parts.push(`~scheduler has run over ${String(this.options.lessThan)}`);
    return parts.length === 0 ? 'scheduler is running' : parts.join(' & ');
  }
}

/**
 * True while the scheduler has been up for at least `moreThan` and less than `lessThan`.
 *
 * @example
 * ```ts
 * new App({ config: { shutdownWhen: schedulerRunning({ moreThan: '1 hour' }) } });
 * ```
 */
export function schedulerRunning(options: SchedulerRunningOptions = {}): Condition {
  return new SchedulerRunningCondition(options);
}
