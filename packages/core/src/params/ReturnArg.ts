import { UnknownTaskError } from '../errors/UnknownTaskError';
import { Argument } from './Argument';
import { defaultOr, type DefaultOption } from './defaults';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/**
 * The last successful return value of another task. A task that exists but never returned is
 * "no value" (so `.or()` moves on, or the default applies); a task that does not exist is an
 * `UnknownTaskError`, which does not.
 *
 * @example
 * ```ts
 * new ReturnArg('fetch', { default: [] })
 * ```
 */
export class ReturnArg extends Argument {
  constructor(
    /** The task whose last successful return value is injected. */
    readonly task: string,
    private readonly options?: DefaultOption,
  ) {
    super();
  }
  /** `Return(task)`. */
  get label(): string {
    return `Return(${this.task})`;
  }
  /** The task's last successful return value, or the default when it never returned. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    const { host } = scope;
    if (host.findTask(this.task) === undefined) {
      throw new UnknownTaskError(
        this.task,
        host.taskNames(),
        scope.taskName === undefined ? undefined : `task "${scope.taskName}"`,
      );
    }
    if (host.hasReturn(this.task)) return host.getReturn(this.task);
    return defaultOr(
      this.options,
      `Task "${this.task}" has not returned a value yet (needed by ${scope.taskName === undefined ? 'a condition' : `task "${scope.taskName}"`}). ` +
        `Order them with afterSuccess('${this.task}'), or give a default: Return('${this.task}', { default: ... }).`,
      { key: this.task, ...(scope.taskName === undefined ? {} : { taskName: scope.taskName }) },
    );
  }
}
