import type { Condition } from '../conditions/Condition';
import type { CronSchedule } from '../conditions/ConditionContext';
import { CronCondition } from '../conditions/time/cron';
import { walkHeld, type ParamReader } from './heldCondition';

/** What finding a run's due instant reads: the shared cron patterns and the session parameters. */
export interface DueInstantHost extends ParamReader {
  cron(expression: string): CronSchedule;
}

/**
 * The instant a run of `start` that begins at `at` is due for: its cron slot (see
 * {@link cronSlot}), else `at` itself. A cron run that began late in its slot is still the slot's run.
 */
export function dueInstant(start: Condition, at: number, host: DueInstantHost): number {
  return cronSlot(start, at, host)?.at ?? at;
}

/**
 * The slot (minute, or second for six fields) that `at` falls in of the first `cron(...)` in
 * `start` that matches it, with when the slot ends; `undefined` when no cron matches there.
 */
export function cronSlot(
  start: Condition,
  at: number,
  host: DueInstantHost,
): { readonly at: number; readonly until: number } | undefined {
  let slot: { at: number; until: number } | undefined;
  walkHeld(start, host, (c) => {
    if (slot !== undefined || !(c instanceof CronCondition)) return;
    const schedule = host.cron(c.expression);
    const candidate = Math.floor(at / schedule.resolution) * schedule.resolution;
    if (schedule.matches(candidate)) slot = { at: candidate, until: candidate + schedule.resolution };
  });
  return slot;
}
