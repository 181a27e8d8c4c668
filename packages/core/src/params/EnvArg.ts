import { Argument } from './Argument';
import { defaultOr, type DefaultOption } from './defaults';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/**
 * An environment variable, read when the run starts.
 *
 * @example
 * ```ts
 * new EnvArg('DATABASE_URL', { default: 'sqlite://local.db' })
 * ```
 */
export class EnvArg extends Argument {
  constructor(
    /** The environment variable's name. */
    readonly name: string,
    private readonly options?: DefaultOption,
  ) {
    super();
  }
  /** `Env(name)`. */
  get label(): string {
    return `Env(${this.name})`;
  }
  /** The variable's value, or the default when it is not set. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    const value = scope.host.env[this.name];
    if (value !== undefined) return value;
    return defaultOr(this.options, `Environment variable ${this.name} is not set.`, { key: this.name });
  }
}
