import type { InjectionToken } from 'tsyringe';
import { ParameterProviderError } from '../errors/ParameterProviderError';
import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** A service from the app's container (what `@Inject(token)` injects on a method parameter). */
export class ServiceArg extends Argument {
  constructor(readonly token: InjectionToken) {
    super();
  }
  get label(): string {
    return `Inject(${tokenName(this.token)})`;
  }
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    try {
      return scope.host.container.resolve(this.token);
    } catch (error) {
      throw new ParameterProviderError(
        `${this.label} (the container could not build it; register it with container.register or mark the class @injectable())`,
        error,
        scope.taskName,
      );
    }
  }
}

/** A readable name for a tsyringe token. */
export function tokenName(token: InjectionToken): string {
  if (typeof token === 'function') return token.name;
  if (typeof token === 'symbol') return token.toString();
  if (typeof token === 'string') return token;
  return 'token';
}
