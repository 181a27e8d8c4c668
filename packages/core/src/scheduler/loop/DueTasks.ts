import type { CheckWaker } from '../checks/AsyncChecks';
import { DependencyIndex } from '../checks/DependencyIndex';
import type { EmissionWaker } from '../checks/EmissionQueues';
import type { LaunchContext } from '../launch/LaunchContext';
import type { StartHost } from '../launch/StartPolicy';
import type { SchedulerLifecycle } from '../SchedulerLifecycle';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { PassQueue } from './PassQueue';
import type { WakeQueue } from './WakeQueue';
import type { WakeTimer } from './WakeTimer';

/** Whether a pass runs now, and whether another was asked for meanwhile. */
export interface PassFlags {
  /** A pass is running; one requested meanwhile sets `passAgain` instead. */
  passing: boolean;
  passAgain: boolean;
}

/**
 * The tasks due for a look in the next pass, and how a pass is asked for. This is what the
 * loop's parts (the launcher, the start policy, the checks, the emission queues) are given to
 * say "look at this task again": they do not see the loop or the scheduler.
 */
export class DueTasks implements LaunchContext, StartHost, CheckWaker, EmissionWaker {
  /** Tasks to look at in the next pass. */
  readonly dirty = new Set<ScheduledTask>();
  /** Which tasks read which (a run of one makes the others due), and which are due every pass. */
  readonly dependencies = new DependencyIndex();

  constructor(
    private readonly lifecycle: Readonly<SchedulerLifecycle>,
    private readonly flags: PassFlags,
    private readonly passes: Pick<PassQueue, 'request'>,
    private readonly timer: Pick<WakeTimer, 'arm'>,
    /** When tasks, run timeouts and `shutdownWhen` are due (the loop's wake queue). */
    private readonly wakes: Pick<WakeQueue<unknown>, 'peek'>,
  ) {}

  lookAt(task: ScheduledTask): void {
    this.dirty.add(task);
  }

  wake(task: ScheduledTask): void {
    this.dirty.add(task);
    this.requestPass();
  }

  touched(task: ScheduledTask): void {
    for (const other of this.dependencies.dependentsOf(task.name)) this.dirty.add(other);
    this.requestPass();
  }

  checkSettled(task: ScheduledTask | undefined): void {
    // shutdownWhen is checked in every pass.
    if (task === undefined) this.requestPass();
    else this.wake(task);
  }

  requestPass(): void {
    if (this.lifecycle.phase !== 'running') return;
    if (this.flags.passing) {
      this.flags.passAgain = true;
      return;
    }
    this.passes.request();
  }

  /** Points the one timer at the earliest due instant. */
  arm(): void {
    this.timer.arm(this.wakes.peek());
  }
}
