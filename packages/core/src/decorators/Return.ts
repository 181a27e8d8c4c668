import type { InjectionDecorator } from '../params/Injection';
import type { DefaultOption } from '../params/defaults';
import { ReturnArg } from '../params/ReturnArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * The last successful return value of `task`. Not overridable by batch or task parameters; use
 * `@Arg(key, new ReturnArg(task))` for that.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task("after task 'fetch'")
 *   store(@Return('fetch') rows: unknown[]) { return rows.length; }
 * }
 * ```
 */
export function Return(task: string, options?: DefaultOption): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new ReturnArg(task, options),
    decorator: `@Return('${task}')`,
  });
}
