import type { Condition } from '../conditions/Condition';
import { FromParamCondition } from '../conditions/session/fromParam';
import { walkCondition } from '../conditions/walkCondition';
import type { ApogeeError } from '../errors/ApogeeError';
import type { ConditionSite } from '../errors/ConditionSyntaxError';
import type { Parameters } from '../params/levels';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { RegistrationProblem } from './registration/RegistrationProblem';

/** A `fromParam(...)` in a task's start or end condition. */
interface Use {
  readonly task: ScheduledTask;
  readonly condition: FromParamCondition;
  readonly usedBy: string;
  /** Where the condition string sits, for syntax errors. */
  readonly site: ConditionSite;
}

function usesIn(tasks: readonly ScheduledTask[]): Use[] {
  const uses: Use[] = [];
  // One visitor for every task (run at start for all of them): no closure per task and condition.
  let task: ScheduledTask | undefined;
  let where: 'start' | 'end' = 'start';
  const visit = (c: Condition): void => {
    if (!(c instanceof FromParamCondition) || task === undefined) return;
    uses.push({
      task,
      condition: c,
      usedBy: `the ${where} condition of task "${task.name}"`,
      site: { taskName: task.name, owner: task.definition.owner, role: where },
    });
  };
  for (task of tasks) {
    where = 'start';
    walkCondition(task.start, visit);
    if (task.end === undefined) continue;
    where = 'end';
    walkCondition(task.end, visit);
  }
  return uses;
}

/**
 * The app's side of `fromParam(key)`: session parameters that hold schedules are checked
 * before they are set (so a bad one leaves the previous schedule in place) and when the app
 * starts, and the tasks that read a changed one are looked at again.
 */
export class ParamConditions {
  /** `customs`: the registered custom conditions, by name (a string parameter may name them). */
  constructor(private readonly customs: ReadonlyMap<string, unknown>) {}

  private customNames(): ReadonlySet<string> {
    return new Set(this.customs.keys());
  }

  /**
   * Checks the values in `values` that tasks read through `fromParam`, throwing the first bad
   * one; returns the tasks to look at again once they are set.
   */
  beforeSet(values: Parameters, tasks: readonly ScheduledTask[]): Set<ScheduledTask> {
    const changed = new Set<ScheduledTask>();
    for (const use of usesIn(tasks)) {
      if (!Object.prototype.hasOwnProperty.call(values, use.condition.key)) continue;
      use.condition.resolve(values[use.condition.key], this.customNames(), use.usedBy, use.site);
      changed.add(use.task);
    }
    return changed;
  }

  /** What each `fromParam` holds in `session` now; `undefined` where it is absent or invalid. */
  lookup(session: ReadonlyMap<string, unknown>): (condition: FromParamCondition) => Condition | undefined {
    return (condition) => {
      if (!session.has(condition.key)) return undefined;
      try {
        return condition.resolve(
          session.get(condition.key),
          this.customNames(),
          `fromParam('${condition.key}')`,
        );
      } catch {
        // Reported where it matters: at app.run() or by the app.params call that set it.
        return undefined;
      }
    };
  }

  /** Every `fromParam` whose parameter is absent or not a condition, as registration problems. */
  atStart(tasks: readonly ScheduledTask[], session: ReadonlyMap<string, unknown>): RegistrationProblem[] {
    const problems: RegistrationProblem[] = [];
    for (const { task, condition, usedBy, site } of usesIn(tasks)) {
      if (!session.has(condition.key)) {
        problems.push({ kind: 'error', error: condition.missing(task.name) });
        continue;
      }
      try {
        condition.resolve(session.get(condition.key), this.customNames(), usedBy, site);
      } catch (error) {
        problems.push({ kind: 'error', error: error as ApogeeError });
      }
    }
    return problems;
  }
}
