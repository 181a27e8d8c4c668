import { hasEdge } from '../conditions/hasEdge';
import type { ScheduledTask } from '../scheduler/ScheduledTask';
import type { ApogeeWarning } from './AppConfig';

/** The default `config.onWarning`: a Node process warning, which Node prints once per code. */
export const emitProcessWarning = (warning: ApogeeWarning): void => {
  process.emitWarning(warning.message, { code: warning.code });
};

/** Warnings about newly registered tasks: a start condition without an edge (see {@link hasEdge}). */
export function policyWarnings(tasks: readonly ScheduledTask[], minRunGapMs: number): ApogeeWarning[] {
  const warnings: ApogeeWarning[] = [];
  for (const task of tasks) {
    const def = task.definition;
    if (def.onStartup || def.onShutdown || hasEdge(def.start, task.name)) continue;
    warnings.push({
      code: 'APOGEE_NO_EDGE',
      taskName: task.name,
      message:
        `Task "${task.name}": its start condition "${def.start.toString()}" depends on nothing that changes when the task runs, ` +
        `so while it holds the task re-runs back to back (at most once per config.minRunGap, ${minRunGapMs} ms). ` +
        `Fix: add a condition a run turns false, such as every('10 minutes'), a period (daily.between(...)) or cron(...); ` +
        `or use a period instead of a window (daily.between('08:00', '20:00') runs once a day, timeOfDay.between runs all the time).`,
    });
  }
  return warnings;
}
