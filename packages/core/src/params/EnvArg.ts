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
    readonly name: string,
    private readonly options?: DefaultOption,
  ) {
    super();
  }
  get label(): string {
    return `Env(${this.name})`;
  }
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    const value = scope.host.env[this.name];
    if (value !== undefined) return value;
    return defaultOr(this.options, `Environment variable ${this.name} is not set.`, { key: this.name });
  }
}
