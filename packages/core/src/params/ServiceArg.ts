import type { InjectionToken } from 'tsyringe';
import { ParameterProviderError } from '../errors/ParameterProviderError';
import { Argument } from './Argument';
import { EXECUTING, type ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';
import type { RunContext } from './RunContext';

/** A service from the app's container (what `@Inject(token)` injects on a method parameter). */
export class ServiceArg extends Argument {
  constructor(readonly token: InjectionToken) {
    super();
  }
  get label(): string {
    return `Inject(${tokenName(this.token)})`;
  }
  /** Made where the run executes, by that side's container: a service never travels. */
  override get placement(): ArgumentPlacement {
    return EXECUTING;
  }
  /** The service, from the container of the side where the run executes. */
  override produce(run: RunContext): unknown {
    try {
      return run.container.resolve(this.token);
    } catch (error) {
      throw new ParameterProviderError(
        `${this.label} (the container could not build it; register it with container.register or mark the class @injectable())`,
        error,
        run.taskName,
      );
    }
  }
  compute(input: ArgumentScope): unknown {
    return this.produce(engineScope(input, this).execution);
  }
}

/** A readable name for a tsyringe token. */
export function tokenName(token: InjectionToken): string {
  if (typeof token === 'function') return token.name;
  if (typeof token === 'symbol') return token.toString();
  if (typeof token === 'string') return token;
  return 'token';
}
