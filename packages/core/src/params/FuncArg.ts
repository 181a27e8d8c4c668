import { ApogeeError } from '../errors/ApogeeError';
import { ParameterProviderError } from '../errors/ParameterProviderError';
import { Argument } from './Argument';
import type { Injection, InjectionDecorator } from './Injection';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** Options of {@link FuncArg}. */
export interface FuncArgOptions {
  /** What `fn`'s parameters receive, in order (`Arg('x')`, `Return('fetch')`, ...). */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
}

/** An injection descriptor from either a decorator factory or a bare injection. */
export function toInjection(item: InjectionDecorator | Injection): Injection {
  return typeof item === 'function' ? item.injection : item;
}

/**
 * A function called (once per run) to produce the value; its own parameters are injected.
 * May be async.
 *
 * @example
 * ```ts
 * new FuncArg((url: string) => connect(url), { inject: [Arg('db_url')] })
 * ```
 */
export class FuncArg<R = unknown> extends Argument {
  private readonly injections: readonly Injection[];
  constructor(
    /** The function called once per run; its parameters are injected. */
    readonly fn: (...args: never[]) => R | Promise<R>,
    options: FuncArgOptions = {},
  ) {
    super();
    this.injections = (options.inject ?? []).map(toInjection);
  }
  /** `FuncArg(name)` after the function's name, or `'FuncArg'` for an anonymous one. */
  get label(): string {
    return this.fn.name === '' ? 'FuncArg' : `FuncArg(${this.fn.name})`;
  }
  /** Calls the function with its injected arguments and returns what it returns (awaited). */
  async compute(input: ArgumentScope): Promise<unknown> {
    const scope = engineScope(input, this);
    const args = await scope.resolveInjections(this.injections, this.label);
    try {
      return await (this.fn as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (ApogeeError.is(error)) throw error;
      throw new ParameterProviderError(this.label, error, scope.taskName);
    }
  }
}
