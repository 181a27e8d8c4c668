import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/** True while the task has a live run. */
export class RunningCondition extends Condition {
  constructor(readonly task: string | undefined) {
    super();
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [this.task];
  }
  override get predictable(): boolean {
    return false;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const name = this.task ?? ctx.taskName;
    return { value: name !== undefined && ctx.state(name).running > 0, next: Infinity };
  }
  toString(): string {
    return this.task === undefined ? 'is running' : `task '${this.task}' is running`;
  }
}

/**
 * True while `task` (or the checked task) is running.
 *
 * @example
 * ```ts
 * not(running('backup'))
 * ```
 */
export function running(task?: string): Condition {
  return new RunningCondition(task);
}
