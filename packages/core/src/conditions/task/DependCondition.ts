import { all, any, Condition, type Evaluation } from '../Condition';
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

/**
 * True once `task` has succeeded since this task last started: the task runs after each success.
 *
 * @example
 * ```ts
 * afterSuccess('fetch')
 * ```
 */
export const afterSuccess = (task: string): Condition => new DependCondition(task, 'success');
/**
 * True once `task` has failed since this task last started: the task runs after each failure.
 *
 * @example
 * ```ts
 * afterFail('fetch')
 * ```
 */
export const afterFail = (task: string): Condition => new DependCondition(task, 'fail');
/**
 * True once `task` has succeeded or failed since this task last started.
 *
 * @example
 * ```ts
 * afterFinish('fetch')
 * ```
 */
export const afterFinish = (task: string): Condition => new DependCondition(task, 'finish');
/**
 * True once every one of `tasks` has succeeded since this task last started.
 *
 * @example
 * ```ts
 * afterAllSuccess('extract', 'load')
 * ```
 */
export const afterAllSuccess = (...tasks: string[]): Condition => all(...tasks.map(afterSuccess));
/**
 * True once any one of `tasks` has succeeded since this task last started.
 *
 * @example
 * ```ts
 * afterAnySuccess('primary', 'fallback')
 * ```
 */
export const afterAnySuccess = (...tasks: string[]): Condition => any(...tasks.map(afterSuccess));
/**
 * True once every one of `tasks` has failed since this task last started.
 *
 * @example
 * ```ts
 * afterAllFail('primary', 'fallback')
 * ```
 */
export const afterAllFail = (...tasks: string[]): Condition => all(...tasks.map(afterFail));
/**
 * True once any one of `tasks` has failed since this task last started.
 *
 * @example
 * ```ts
 * afterAnyFail('extract', 'load')
 * ```
 */
export const afterAnyFail = (...tasks: string[]): Condition => any(...tasks.map(afterFail));
/**
 * True once every one of `tasks` has finished (succeeded or failed) since this task last started.
 *
 * @example
 * ```ts
 * afterAllFinish('shard-1', 'shard-2')
 * ```
 */
export const afterAllFinish = (...tasks: string[]): Condition => all(...tasks.map(afterFinish));
/**
 * True once any one of `tasks` has finished (succeeded or failed) since this task last started.
 *
 * @example
 * ```ts
 * afterAnyFinish('shard-1', 'shard-2')
 * ```
 */
export const afterAnyFinish = (...tasks: string[]): Condition => any(...tasks.map(afterFinish));
