import { Argument } from './Argument';
import { defaultOr, type DefaultOption } from './defaults';
import { NOT_FOUND } from './ResolutionScope';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/**
 * A session parameter by key (Rocketry's `Arg`): reads `app.params(...)` and `@Param` providers
 * only, whatever the batch or task levels hold.
 *
 * @example
 * ```ts
 * app.params({ env: 'prod', db: new SessionArg('env') });
 * ```
 */
export class SessionArg extends Argument {
  constructor(
    /** The session parameter's key. */
    readonly key: string,
    private readonly options?: DefaultOption,
  ) {
    super();
  }
  /** The key. */
  get label(): string {
    return this.key;
  }
  /** The session parameter's value, or the default when it is not set. */
  async compute(input: ArgumentScope): Promise<unknown> {
    const scope = engineScope(input, this);
    const value = await scope.resolveSessionKey(this.key);
    if (value !== NOT_FOUND) return value;
    return defaultOr(
      this.options,
      `Session parameter "${this.key}" is not set; set it with app.params({ ${this.key} }).`,
      {
        key: this.key,
        ...(scope.taskName === undefined ? {} : { taskName: scope.taskName }),
      },
    );
  }
}
