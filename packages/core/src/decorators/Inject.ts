import type { InjectionToken } from 'tsyringe';
import type { InjectionDecorator } from '../params/Injection';
import { ServiceArg, tokenName } from '../params/ServiceArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * A service from the app's container, on a method parameter (tsyringe's own `@inject` serves
 * constructors only).
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('every 1 minute')
 *   ping(@Inject(HttpClient) http: HttpClient) { return http.get('/health'); }
 * }
 * ```
 */
export function Inject(token: InjectionToken): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new ServiceArg(token),
    decorator: `@Inject(${tokenName(token)})`,
  });
}
