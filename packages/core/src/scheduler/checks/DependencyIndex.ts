import type { Condition } from '../../conditions/Condition';
import { SchedulerCyclesCondition } from '../../conditions/session/schedulerCycles';
import { walkCondition } from '../../conditions/walkCondition';
import type { ScheduledTask } from '../task/ScheduledTask';

const NONE: ReadonlySet<ScheduledTask> = new Set();

/**
 * Which tasks to look at again when something happens: the tasks whose conditions read another
 * task's state (looked at when that task starts or ends a run), and the tasks whose conditions
 * count scheduler passes (looked at in every pass).
 */
export class DependencyIndex {
  /** Task name -> the tasks whose start or end condition reads that task. */
  private readonly dependents = new Map<string, Set<ScheduledTask>>();
  private readonly everyPass = new Set<ScheduledTask>();

  /** Indexes the task's conditions; adding a task again changes nothing. */
  add(task: ScheduledTask): void {
    const visit = (c: Condition): void => {
      for (const name of c.dependsOn) {
        if (name === undefined || name === task.name) continue;
        let set = this.dependents.get(name);
        if (set === undefined) {
          set = new Set();
          this.dependents.set(name, set);
        }
        set.add(task);
      }
      if (c instanceof SchedulerCyclesCondition) this.everyPass.add(task);
    };
    walkCondition(task.start, visit);
    if (task.end !== undefined) walkCondition(task.end, visit);
  }

  /** Forgets the task (removed at run time): nothing wakes it any more. */
  remove(task: ScheduledTask): void {
    for (const set of this.dependents.values()) set.delete(task);
    this.everyPass.delete(task);
  }

  /** The tasks whose conditions read `taskName`'s state (never the task itself). */
  dependentsOf(taskName: string): ReadonlySet<ScheduledTask> {
    return this.dependents.get(taskName) ?? NONE;
  }

  /** The tasks whose conditions count scheduler passes. */
  get perCycle(): ReadonlySet<ScheduledTask> {
    return this.everyPass;
  }
}
