import type { InjectionDecorator } from '../params/Injection';
import { ScheduledAtArg } from '../params/ScheduledAtArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * The instant the run was due for, a `Date`: a `cron` run's slot (even when it began later, after
 * a jitter or behind a live run), each missed instant of a catch-up run, the moment a batch was
 * requested (`task.run()`), otherwise the run's start. Also on its run records as `scheduledAt`
 * when it differs from the start.
 *
 * @example
 * ```ts
 * class Reports {
 *   @Task({ start: cron('0 * * * *'), catchup: 'all' })
 *   hourly(@ScheduledAt() hour: Date) { return `report for ${hour.toISOString()}`; }
 * }
 * ```
 */
export function ScheduledAt(): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new ScheduledAtArg(),
    decorator: '@ScheduledAt()',
  });
}
