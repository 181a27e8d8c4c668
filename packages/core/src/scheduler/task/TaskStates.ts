import type { TaskStateView } from '../../conditions/ConditionContext';
import type { StatusWindow } from '../../log/StatusWindows';

/** Where the scheduler reads tasks' states (the task-state index by default). */
export interface TaskStates {
  /** The state of `taskName`; the empty state if it never ran. */
  get(taskName: string): TaskStateView;
  /** The latest record inside a restricted status window (see `TaskStateIndex.lastInside`). */
  lastInside(taskName: string, window: StatusWindow): number | undefined;
}
