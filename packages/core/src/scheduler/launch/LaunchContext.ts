import type { ScheduledTask } from '../task/ScheduledTask';

/** What the launcher tells the scheduler, which decides what to look at again. */
export interface LaunchContext {
  /** Look at `task` in the next pass (without requesting one). */
  lookAt(task: ScheduledTask): void;
  /** A run of `task` began or ended: the tasks that read its state are due for a look now. */
  touched(task: ScheduledTask): void;
  requestPass(): void;
}
