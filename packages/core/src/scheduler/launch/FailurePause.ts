import type { RunAction } from '../../conditions/runActions';
import type { Clock } from '../../time/Clock';
import type { EventSink } from '../events/EventSink';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { TaskStates } from '../task/TaskStates';

/**
 * `pauseAfterFailures`: counts each task's failures in a row and disables the task (persisted,
 * through `task.disable()`) when the count reaches its limit, emitting `taskPaused`. The count
 * starts from the state the log restored, and `task.enable()` sets it back to zero.
 */
export class FailurePause {
  /** Failures in a row per task since the app started or the task was last enabled. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly state: TaskStates,
    private readonly events: EventSink,
    private readonly clock: Clock,
  ) {}

  /** A run of `task` ended with `action` (its record already written). */
  ended(task: ScheduledTask, action: RunAction): void {
    const limit = task.definition.pauseAfterFailures;
    if (!Number.isFinite(limit)) return;
    const name = task.name;
    if (action !== 'fail') {
      if (action !== 'run') this.failures.set(name, 0);
      return;
    }
    const before = this.failures.get(name);
    // First failure seen: the index already counts it, with those before a restart.
    const count = before === undefined ? this.state.get(name).consecutiveFails : before + 1;
    this.failures.set(name, count);
    if (count < limit || task.disabled) return;
    task.disable();
    this.events.notify({
      type: 'taskPaused',
      taskName: name,
      at: new Date(this.clock.now()),
      failures: count,
    });
  }

  /** `task.enable()`: its failures start counting again from zero. */
  enabled(taskName: string): void {
    this.failures.set(taskName, 0);
  }
}
