import type { InjectionDecorator } from '../params/Injection';
import { SignalArg } from '../params/SignalArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * An `AbortSignal` aborted when the run is terminated (timeout, end condition,
 * `task.terminate()`, shutdown). Long tasks should watch it.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task({ start: 'every 1 hour', timeout: '10 minutes' })
 *   async crawl(@Signal() signal: AbortSignal) { while (!signal.aborted) await step(); }
 * }
 * ```
 */
export function Signal(): InjectionDecorator {
  return injectionDecorator({ kind: 'argument', argument: new SignalArg(), decorator: '@Signal()' });
}
