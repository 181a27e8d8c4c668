import { All, Any, Not, type Condition } from './Condition';
import { always } from './constants';
import { ParamCondition } from './custom/ParamCondition';
import { SchedulerRunningCondition } from './scheduler/schedulerRunning';
import { RunningCondition } from './task/running';
import { StatusCondition } from './task/StatusCondition';
import { WindowCondition } from './time/WindowCondition';

/** A condition that reads nothing a run of `taskName` changes (and is not a composition). */
function edgeless(condition: Condition, taskName: string): boolean {
  if (
    condition === always ||
    condition instanceof WindowCondition ||
    condition instanceof ParamCondition ||
    condition instanceof SchedulerRunningCondition
  )
    return true;
  // Another task's state (`running('backup')`, `succeeded('fetch').today`) stays as it is when this one runs.
  return (
    (condition instanceof RunningCondition || condition instanceof StatusCondition) &&
    condition.dependsOn.every((name) => name !== undefined && name !== taskName)
  );
}

/**
 * Whether a start condition has an edge for `taskName`: something it depends on changes when the
 * task runs, so that a run can turn it false. A window (`timeOfDay.between(...)`), `always`, a
 * session parameter or another task's `running(...)` has none: while it holds, the task would
 * re-run back to back. Conditions Apogee cannot see into (custom ones, `when`, `fromParam`, a
 * `Condition` subclass of your own) count as having one.
 */
export function hasEdge(condition: Condition, taskName: string): boolean {
  if (condition instanceof All) return condition.conditions.some((c) => hasEdge(c, taskName));
  if (condition instanceof Any) return condition.conditions.every((c) => hasEdge(c, taskName));
  if (condition instanceof Not) return hasEdge(condition.condition, taskName);
  return !edgeless(condition, taskName);
}
