import type { InjectionDecorator } from '../params/Injection';
import { ProgressArg } from '../params/ProgressArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * A function `(fraction: number, message?: string) => void` that reports how far the run has come:
 * each call emits `taskProgress` and updates the live run (`app.session.liveRuns()`, the control
 * API, `apogee trigger --wait`). `fraction` goes from 0 to 1; anything else throws, naming the
 * task. Works in every execution mode: a thread or process run sends its reports back.
 *
 * @example
 * ```ts
 * class Imports {
 *   @Task({ start: 'daily', execution: 'thread' })
 *   async load(@Progress() progress: (fraction: number, message?: string) => void) {
 *     for (let i = 0; i < 10; i++) progress(i / 10, `file ${String(i + 1)} of 10`);
 *   }
 * }
 * ```
 */
export function Progress(): InjectionDecorator {
  return injectionDecorator({ kind: 'argument', argument: new ProgressArg(), decorator: '@Progress()' });
}
