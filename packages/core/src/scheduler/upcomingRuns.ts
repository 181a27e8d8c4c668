import type { CheckHost } from './CheckContext';
import { predictRuns, upcomingBudget } from './predict';
import type { ScheduledTask } from './ScheduledTask';

/**
 * The next `n` predicted runs across `tasks` from `now`, soonest first (tasks whose runs cannot
 * be predicted are left out), within a bounded amount of work (see {@link upcomingBudget}).
 */
export function upcomingRuns(
  tasks: readonly ScheduledTask[],
  now: number,
  n: number,
  host: CheckHost,
): { taskName: string; at: Date }[] {
  const queued = tasks.filter((t) => t.batchCount > 0).map((task) => ({ task, at: now }));
  // Ties go by registration order, a task's queued batch before its predicted runs.
  return [...queued, ...predictRuns(tasks, now, n, host, upcomingBudget(n))]
    .sort((a, b) => a.at - b.at || a.task.order - b.task.order)
    .slice(0, n)
    .map((r) => ({ taskName: r.task.name, at: new Date(r.at) }));
}
