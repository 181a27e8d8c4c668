import type { InjectionDecorator } from '../params/Injection';
import { injectionDecorator } from './injectionDecorator';

/**
 * A keyed parameter, resolved through batch > task > function > session. `fallback` is the
 * function level: a plain value or an argument (`new ReturnArg('fetch')`); leave it out for none.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('every 10 seconds')
 *   load(@Arg('url', 'http://localhost') url: string) { return url; }
 * }
 * ```
 */
export function Arg(key: string, fallback?: unknown): InjectionDecorator {
  return injectionDecorator({ kind: 'keyed', key, fallback, decorator: `@Arg('${key}')` });
}
