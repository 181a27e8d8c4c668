import type { Condition } from '../../conditions/Condition';
import type { CronSchedule } from '../../conditions/ConditionContext';
import type { Calendar } from '../../time/Calendar';
import { CronCondition } from '../../conditions/time/cron';
import { walkHeld, type ParamReader } from '../checks/heldCondition';

/**
 * What finding a run's due instant reads: the shared cron patterns (per calendar, since a task may
 * have its own time zone), the app's calendar and the session parameters.
 */
export interface DueInstantHost extends ParamReader {
  readonly calendar: Calendar;
  cron(expression: string, calendar: Calendar): CronSchedule;
}

/**
 * The instant a run of `start` that begins at `at` is due for: its cron slot (see
 * {@link cronSlot}), else `at` itself. A cron run that began late in its slot is still the slot's run.
 */
export function dueInstant(start: Condition, at: number, host: DueInstantHost, calendar?: Calendar): number {
  return cronSlot(start, at, host, calendar)?.at ?? at;
}

/**
 * The slot (minute, or second for six fields) that `at` falls in of the first `cron(...)` in
 * `start` that matches it, with when the slot ends; `undefined` when no cron matches there.
 * `calendar` is the task's own (its `timezone`), else the app's.
 */
export function cronSlot(
  start: Condition,
  at: number,
  host: DueInstantHost,
  calendar: Calendar = host.calendar,
): { readonly at: number; readonly until: number } | undefined {
  let slot: { at: number; until: number } | undefined;
  walkHeld(start, host, (c) => {
    if (slot !== undefined || !(c instanceof CronCondition)) return;
    const schedule = host.cron(c.expression, calendar);
    const candidate = Math.floor(at / schedule.resolution) * schedule.resolution;
    if (schedule.matches(candidate)) slot = { at: candidate, until: candidate + schedule.resolution };
  });
  return slot;
}
