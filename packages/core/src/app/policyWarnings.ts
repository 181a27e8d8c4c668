import { hasEdge, type FromParamLookup } from '../conditions/hasEdge';
import { FromParamCondition } from '../conditions/session/fromParam';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { ApogeeWarning } from './AppConfig';

/** The default `config.onWarning`: a Node process warning, which Node prints once per code. */
export const emitProcessWarning = (warning: ApogeeWarning): void => {
  process.emitWarning(warning.message, { code: warning.code });
};

/**
 * Warnings about tasks just registered (or whose `fromParam` schedule just changed): a start
 * condition without an edge (see {@link hasEdge}).
 */
export function policyWarnings(
  tasks: Iterable<ScheduledTask>,
  minRunGapMs: number,
  lookup: FromParamLookup,
): ApogeeWarning[] {
  const warnings: ApogeeWarning[] = [];
  for (const task of tasks) {
    const def = task.definition;
    if (def.onStartup || def.onShutdown || hasEdge(def.start, task.name, lookup)) continue;
    warnings.push({
      code: 'APOGEE_NO_EDGE',
      taskName: task.name,
      message:
        `Task "${task.name}": its start condition "${describe(def.start, lookup)}" depends on nothing that changes when the task runs, ` +
        `so while it holds the task re-runs back to back (at most once per config.minRunGap, ${minRunGapMs} ms). ` +
        `Fix: add a condition a run turns false, such as every('10 minutes'), a period (daily.between(...)) or cron(...); ` +
        `or use a period instead of a window (daily.between('08:00', '20:00') runs once a day, timeOfDay.between runs all the time).`,
    });
  }
  return warnings;
}

/** The condition as written, with what a `fromParam` holds now. */
function describe(condition: ScheduledTask['start'], lookup: FromParamLookup): string {
  const held = condition instanceof FromParamCondition ? lookup(condition) : undefined;
  return held === undefined ? condition.toString() : `${condition.toString()} = ${held.toString()}`;
}
