import { all, any, type Condition } from '../Condition';
import { DependCondition } from './DependCondition';

// The conditions on another task's outcome, as users write them; DependCondition answers them.

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
