import type { InjectionDecorator } from '../params/Injection';
import { RunLoggerArg } from '../params/RunLoggerArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * A logger for the run's own output, `{ debug, info, warn, error }(message, fields?)`: each line is
 * kept with its run (time, level, message, fields, with `Private` values as `*****`) and emitted
 * as `taskOutput`. Works in every execution mode: a thread, process or queue run sends its lines
 * back to the scheduler.
 *
 * @example
 * ```ts
 * class Imports {
 *   @Task({ start: 'daily', execution: 'thread' })
 *   load(@RunLogger() log: RunLoggerFn) {
 *     log.info('loaded', { rows: 120 });
 *   }
 * }
 * ```
 */
export function RunLogger(): InjectionDecorator {
  return injectionDecorator({ kind: 'argument', argument: new RunLoggerArg(), decorator: '@RunLogger()' });
}
