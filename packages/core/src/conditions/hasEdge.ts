import { All, Any, Not, type Condition } from './Condition';
import { always } from './constants';
import { ParamCondition } from './session/ParamCondition';
import { FromParamCondition } from './session/fromParam';
import { SchedulerRunningCondition } from './session/schedulerRunning';
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

/** The condition a `fromParam(key)` holds now, if it is known and valid. */
export type FromParamLookup = (condition: FromParamCondition) => Condition | undefined;

const NO_LOOKUP: FromParamLookup = () => undefined;
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Whether a start condition has an edge for `taskName`: something it depends on changes when the
 * task runs, so that a run can turn it false. A window (`timeOfDay.between(...)`), `always`, a
 * session parameter or another task's `running(...)` has none: while it holds, the task would
 * re-run back to back. A `fromParam(key)` is judged by the condition `lookup` finds in it.
 * Conditions Apogee cannot see into (custom ones, `when`, a `Condition` subclass of your own, a
 * `fromParam` not set yet) count as having one.
 */
export function hasEdge(
  condition: Condition,
  taskName: string,
  lookup: FromParamLookup = NO_LOOKUP,
  seen: ReadonlySet<string> = NO_KEYS,
): boolean {
  // Every task is judged as it registers: a leaf (most start conditions) allocates nothing.
  if (condition instanceof All) return condition.conditions.some((c) => hasEdge(c, taskName, lookup, seen));
  if (condition instanceof Any) return condition.conditions.every((c) => hasEdge(c, taskName, lookup, seen));
  if (condition instanceof Not) return hasEdge(condition.condition, taskName, lookup, seen);
  if (condition instanceof FromParamCondition) {
    // A parameter that (through others) holds itself is no schedule to judge.
    const held = seen.has(condition.key) ? undefined : lookup(condition);
    return held === undefined || hasEdge(held, taskName, lookup, new Set([...seen, condition.key]));
  }
  return !edgeless(condition, taskName);
}
