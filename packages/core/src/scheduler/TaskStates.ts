import type { TaskStateView } from '../conditions/ConditionContext';

/** Where the scheduler reads tasks' states (the task-state index by default). */
export interface TaskStates {
  /** The state of `taskName`; the empty state if it never ran. */
  get(taskName: string): TaskStateView;
}
