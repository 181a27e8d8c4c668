import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/** Bounds on the number of completed scheduler passes. */
export interface SchedulerCyclesOptions {
  /** True only after more than this many completed passes. Default: no lower bound. */
  readonly moreThan?: number;
  /** True only while fewer than this many passes have completed. Default: no upper bound. */
  readonly lessThan?: number;
  /** Exactly this many completed passes (Rocketry's `scheduler has 3 cycles`). */
  readonly exactly?: number;
}

/**
 * True while the number of completed scheduler passes is above `moreThan` and below `lessThan`
 * (and equal to `exactly` when given).
 * A pass is one round of checking the tasks that are due or woken by an event; an idle
 * scheduler makes none. Tasks that use it are re-checked after every pass, as passes are what
 * it counts.
 */
export class SchedulerCyclesCondition extends Condition {
  constructor(private readonly options: SchedulerCyclesOptions) {
    super();
  }
  override get predictable(): boolean {
    return false;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const { moreThan = -Infinity, lessThan = Infinity, exactly } = this.options;
    const value =
      ctx.cycles > moreThan && ctx.cycles < lessThan && (exactly === undefined || ctx.cycles === exactly);
    return { value, next: Infinity };
  }
  toString(): string {
    const parts: string[] = [];
    if (this.options.exactly !== undefined) parts.push(`scheduler has ${this.options.exactly} cycles`);
    if (this.options.moreThan !== undefined)
      parts.push(`scheduler has more than ${this.options.moreThan} cycles`);
    if (this.options.lessThan !== undefined)
      parts.push(`scheduler has less than ${this.options.lessThan} cycles`);
    return parts.length === 0 ? 'true' : parts.join(' & ');
  }
}

/**
 * Bounds on completed scheduler passes; handy as `config.shutdownWhen` in tests.
 *
 * @example
 * ```ts
 * new App({ config: { shutdownWhen: schedulerCycles({ moreThan: 3 }) } });
 * ```
 */
export function schedulerCycles(options: SchedulerCyclesOptions = {}): Condition {
  return new SchedulerCyclesCondition(options);
}
