import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext, TaskStateView } from '../ConditionContext';

/** Which outcome of the other task counts. */
export type DependOutcome = 'success' | 'fail' | 'finish';

const outcomeOrder = (s: TaskStateView, outcome: DependOutcome): number | undefined => {
  const { success, fail } = s.sequence;
  if (outcome === 'success') return success;
  if (outcome === 'fail') return fail;
  return success === undefined ? fail : fail === undefined ? success : Math.max(success, fail);
};

/**
 * True when `task` has had `outcome` since the checked task last started (or ever, if it never
 * started). Read from the per-task state index: the cost does not grow with the history.
 */
export class DependCondition extends Condition {
  constructor(
    readonly task: string,
    readonly outcome: DependOutcome,
  ) {
    super();
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [this.task, undefined];
  }
  override get predictable(): boolean {
    return false;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const happened = outcomeOrder(ctx.state(this.task), this.outcome);
    if (happened === undefined) return { value: false, next: Infinity };
    const ownStart = ctx.taskName === undefined ? undefined : ctx.state(ctx.taskName).sequence.run;
    return { value: ownStart === undefined || happened > ownStart, next: Infinity };
  }
  toString(): string {
    const word = this.outcome === 'success' ? 'succeeded' : this.outcome === 'fail' ? 'failed' : 'finished';
    return `after task '${this.task}' ${word}`;
  }
}
