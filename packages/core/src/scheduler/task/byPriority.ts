import type { ScheduledTask } from './ScheduledTask';

/** Sorts tasks by priority, highest first, then in registration order. */
export const byPriority = (a: ScheduledTask, b: ScheduledTask): number =>
  b.priority - a.priority || a.order - b.order;
