import type { InjectionDecorator } from '../params/Injection';
import { TaskArg } from '../params/TaskArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * The `ScheduledTask` being run (or checked, in a condition; or consuming, in a provider).
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('every 1 minute')
 *   tick(@CurrentTask() task: ScheduledTask) { return task.name; }
 * }
 * ```
 */
export function CurrentTask(): InjectionDecorator {
  return injectionDecorator({ kind: 'argument', argument: new TaskArg(), decorator: '@CurrentTask()' });
}
