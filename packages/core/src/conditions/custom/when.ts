import type { Observable } from 'rxjs';
import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/**
 * True while emissions of `source` wait for the task. Each run consumes the oldest one, whose
 * object (if it is one) becomes that run's batch parameters. Subscribed while the app runs.
 */
export class WhenCondition extends Condition {
  constructor(readonly source: Observable<unknown>) {
    super();
  }
  override get predictable(): boolean {
    return false;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    return { value: ctx.pendingEmissions(this) > 0, next: Infinity };
  }
  toString(): string {
    return 'when(observable)';
  }
}

/**
 * One run per emission of `source$`; nothing is lost while the task is busy.
 *
 * @example
 * ```ts
 * const requests$ = new Subject<{ user: string }>();
 * app.task({ name: 'report', start: when(requests$) }, () => undefined);
 * ```
 */
export function when(source$: Observable<unknown>): Condition {
  return new WhenCondition(source$);
}
