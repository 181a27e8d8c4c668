import { PeriodCondition } from '../../conditions/time/PeriodCondition';
import { CronCondition } from '../../conditions/time/cron';
import { EveryCondition } from '../../conditions/time/every';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { EMPTY_STATE } from '../../log/TaskStateIndex';
import type { CheckHost } from '../checks/CheckContext';
import { dueInstant } from './dueInstant';
import { predictableNow, walkHeld } from '../checks/heldCondition';
import { NEXT_RUN_STEPS, Simulation } from './predict';
import type { ScheduledTask } from '../task/ScheduledTask';
import { startText } from './startText';

/** Most instants one backfill may cover: a longer range is split into several backfills. */
export const MAX_BACKFILL_INSTANTS = 10_000;
/** Condition checks one found instant may cost (most cost two: the run, then the next instant). */
const STEPS_PER_INSTANT = 8;

/**
 * The instants `task`'s time schedule produced in `[from, to)`, oldest first: the runs its start
 * condition would have started had the app run through that range with no earlier history, each
 * run succeeding at once (`every` counts from `from`; a cron run is due for its slot). Throws a
 * `ConfigurationError` naming the task when its start is not a time schedule, and when the range
 * holds more than {@link MAX_BACKFILL_INSTANTS} instants.
 */
export function scheduleInstants(task: ScheduledTask, from: number, to: number, host: CheckHost): number[] {
  requireTimeSchedule(task, host);
  const simulation = new Simulation(task, from, host, EMPTY_STATE);
  const instants: number[] = [];
  let steps = NEXT_RUN_STEPS + STEPS_PER_INSTANT * MAX_BACKFILL_INSTANTS;
  while (simulation.at < to) {
    if (steps-- <= 0 || instants.length > MAX_BACKFILL_INSTANTS) throw tooMany(task, from, to);
    const at = simulation.step();
    if (at === undefined || at >= to) continue;
    const instant = dueInstant(task.definition.start, at, host, task.definition.calendar);
    // A cron slot that opened before `from` is not in the range.
    if (instant >= from) instants.push(instant);
  }
  if (instants.length > MAX_BACKFILL_INSTANTS) throw tooMany(task, from, to);
  return instants;
}

/** A start a backfill can read instants from: predictable, with a cron, an `every` or a period in it. */
function requireTimeSchedule(task: ScheduledTask, host: CheckHost): void {
  const start = task.definition.start;
  let timed = false;
  walkHeld(start, host, (c) => {
    if (c instanceof CronCondition || c instanceof EveryCondition || c instanceof PeriodCondition)
      timed = true;
  });
  if (timed && predictableNow(start, host)) return;
  throw new ConfigurationError(
    `task.backfill() of task "${task.name}": its start condition`,
    startText(start),
    "a time schedule: cron(...), every(...), a period such as daily.at('03:00'), or fromParam(...) " +
      'holding one, combined only with other time conditions. Another task, a custom condition or ' +
      'an observable cannot say which instants passed; run the task with task.run() instead',
    { taskName: task.name },
  );
}

function tooMany(task: ScheduledTask, from: number, to: number): ConfigurationError {
  return new ConfigurationError(
    `task.backfill() of task "${task.name}": the range`,
    `${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
    `a range holding at most ${MAX_BACKFILL_INSTANTS} instants of its schedule (${task.start.toString()}). ` +
      'Split it into shorter ranges, each its own backfill',
    { taskName: task.name },
  );
}
