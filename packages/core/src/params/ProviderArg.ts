import { ApogeeError } from '../errors/ApogeeError';
import { ParameterProviderError } from '../errors/ParameterProviderError';
import { Argument } from './Argument';
import { isThenable } from '../util/isThenable';
import type { ResolutionScope } from './ResolutionScope';
import type { Signature } from './Signature';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** How long a provider's value is kept: one run (default) or the whole session. */
export type ProviderCache = 'run' | 'session';

/**
 * A `@Param` provider (or `app.param`) as a session-level argument. Its own parameters are
 * injected in the consuming run's scope, so providers can use other parameters.
 */
export class ProviderArg extends Argument {
  private sessionValue: Promise<unknown> | undefined;

  constructor(
    readonly name: string,
    /** `Class.method` or the function's name, for messages. */
    readonly owner: string,
    /** What its own parameters receive, compiled at registration. */
    readonly signature: Signature,
    private readonly call: (args: unknown[]) => unknown,
    readonly cache: ProviderCache = 'run',
  ) {
    super();
  }

  get label(): string {
    return this.name;
  }

  compute(input: ArgumentScope): Promise<unknown> {
    const scope = engineScope(input, this);
    if (this.cache === 'run') return this.invoke(scope);
    // Session cache: keep the first successful value; forget a failure so the next run retries.
    this.sessionValue ??= this.invoke(scope).catch((error: unknown) => {
      this.sessionValue = undefined;
      throw error;
    });
    return this.sessionValue;
  }

  /**
   * The value of a provider that takes no parameters and is kept for one run, called at once: its
   * value, or the promise of it when the provider is async. `NOT_CALLED` (and nothing done) for any
   * other provider. A failure is the provider's error as {@link ProviderArg.compute} rejects with it.
   */
  computeNow(scope: ResolutionScope): unknown {
    if (this.cache !== 'run' || this.signature.slots.length !== 0) return NOT_CALLED;
    let value: unknown;
    try {
      value = this.call([]);
    } catch (error) {
      throw this.failure(error, scope);
    }
    if (!isThenable(value)) return value;
    return Promise.resolve(value).catch((error: unknown) => {
      throw this.failure(error, scope);
    });
  }

  /** What a provider's own error becomes when it leaves the provider. */
  private failure(error: unknown, scope: ResolutionScope): unknown {
    if (ApogeeError.is(error)) return error;
    return new ParameterProviderError(`"${this.name}" (${this.owner})`, error, scope.taskName);
  }

  private async invoke(scope: ResolutionScope): Promise<unknown> {
    // A provider without parameters (the usual one) is called at once, without a promise hop.
    const args =
      this.signature.slots.length === 0
        ? []
        : await scope.resolveInjections(this.signature.injections, this.owner);
    try {
      return await this.call(args);
    } catch (error) {
      throw this.failure(error, scope);
    }
  }
}

/** What {@link ProviderArg.computeNow} returns for a provider it does not call. */
export const NOT_CALLED: unique symbol = Symbol('@apogee/core/not-called');
