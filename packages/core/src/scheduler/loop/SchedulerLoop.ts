import { RunHandle } from '../../execution/RunHandle';
import { ConditionChecker } from '../checks/ConditionChecker';
import { EmissionQueues } from '../checks/EmissionQueues';
import { alwaysLeader, type Leadership } from '../cluster/Leadership';
import { RunLauncher } from '../launch/RunLauncher';
import { StartPolicy } from '../launch/StartPolicy';
import type { SchedulerLifecycle } from '../SchedulerLifecycle';
import type { SchedulerPorts } from '../SchedulerPorts';
import type { SchedulerProgress } from '../SchedulerProgress';
import { byPriority } from '../task/byPriority';
import type { ScheduledTask } from '../task/ScheduledTask';
import { ClockStepWatch } from './ClockStepWatch';
import { DueTasks, type PassFlags } from './DueTasks';
import { PassQueue, type PassRunner } from './PassQueue';
import { MapSlots, WakeQueue, type WakeSlots } from './WakeQueue';
import { WakeTimer, type WakeTarget } from './WakeTimer';

const SHUTDOWN = Symbol('shutdownWhen');

/** What the loop's wake queue holds. */
type Wakeable = ScheduledTask | RunHandle | typeof SHUTDOWN;

/**
 * Where the loop's wake queue keeps live times: a run's timeout on the run itself (each run is
 * woken once at most and then dropped, so a map key per run was an add and a delete per run, and
 * a rehash of the whole map every few runs), tasks and `shutdownWhen` in a map.
 */
class RunsKeepTheirWake implements WakeSlots<Wakeable> {
  private readonly others = new MapSlots<Wakeable>();

  get(item: Wakeable): number | undefined {
    return item instanceof RunHandle ? item.wakeOffset : this.others.get(item);
  }

  set(item: Wakeable, offset: number | undefined): void {
    if (item instanceof RunHandle) item.wakeOffset = offset;
    else this.others.set(item, offset);
  }
}

/** How the loop stops the scheduler when `shutdownWhen` holds. */
export interface ShutdownTrigger {
  shutdown(): Promise<void>;
}

/**
 * The pass and the parts it drives. A pass takes the due wakes and timeouts, then looks at every
 * task due for a look ({@link DueTasks}), in priority order: the start policy checks its
 * condition and the launcher starts its run. Between passes it sleeps on a single timer. While
 * the {@link Leadership} says this process is not the leader, a pass only times runs out and
 * checks `shutdownWhen`: no condition is checked, no run started.
 */
export class SchedulerLoop implements PassRunner, WakeTarget {
  /** What makes a task due for a look, given to the parts below. */
  readonly due: DueTasks;
  readonly emissions: EmissionQueues;
  readonly checker: ConditionChecker;
  readonly launcher: RunLauncher;
  readonly policy: StartPolicy;

  // ---- the pass's state ----
  /** When to look at a task again, when a run times out, when to check `shutdownWhen`. */
  private readonly wakes = new WakeQueue<Wakeable>(new RunsKeepTheirWake());
  private readonly flags: PassFlags = { passing: false, passAgain: false };
  private readonly passes = new PassQueue(this);
  private readonly timer: WakeTimer;
  private readonly clockSteps: ClockStepWatch;
  private readonly leadership: Leadership;

  constructor(
    private readonly ports: SchedulerPorts,
    private readonly lifecycle: Readonly<SchedulerLifecycle>,
    private readonly progress: SchedulerProgress,
    private readonly stopper: ShutdownTrigger,
  ) {
    this.leadership = ports.leadership ?? alwaysLeader;
    this.timer = new WakeTimer(ports.clock, ports.preciseTiming ?? false, this);
    this.clockSteps = new ClockStepWatch(ports.clock);
    this.due = new DueTasks(lifecycle, this.flags, this.passes, this.timer, this.wakes);
    this.emissions = new EmissionQueues(this.due, ports.events, ports.clock);
    this.checker = new ConditionChecker(ports, progress, this.emissions, this.due);
    this.launcher = new RunLauncher(ports, this.wakes, this.due);
    this.policy = new StartPolicy(ports, this.launcher, this.checker, this.wakes, this.emissions, this.due);
  }

  /** Every task is due for a look (the start, gaining the leadership). */
  lookAtAll(): void {
    for (const task of this.ports.tasks.tasks) this.due.dirty.add(task);
    this.due.requestPass();
  }

  /** A task registered while the scheduler runs (or before it starts). */
  added(task: ScheduledTask): void {
    this.due.dependencies.add(task);
    if (this.lifecycle.phase === 'running') this.emissions.subscribe(task);
    this.due.wake(task);
  }

  /** A removed task: nothing wakes, looks at or starts it any more. */
  forget(task: ScheduledTask): void {
    this.due.dependencies.remove(task);
    this.emissions.forget(task);
    this.policy.forget(task);
    this.due.dirty.delete(task);
    this.wakes.set(task, Infinity);
  }

  /** The scheduler has stopped: no check, start or wake is kept for a next start. */
  clear(): void {
    this.checker.forgetChecks();
    this.policy.clear();
    this.timer.cancel();
    this.wakes.clear();
  }

  /** The timer's instant has come. */
  onWake(): void {
    this.passes.loopTurned();
    const { lifecycle } = this;
    if (lifecycle.phase === 'running' && !this.flags.passing) {
      void this.pass();
      return;
    }
    if (lifecycle.phase !== 'running' && lifecycle.phase !== 'stopping') return;
    // A pass holds for a `main` run, or shutdown waits for live runs: timeouts still fire, and
    // what else fell due is left for the next pass.
    for (const item of this.wakes.popDue(this.ports.clock.now())) {
      if (item instanceof RunHandle) this.launcher.timeOut(item);
      else if (item === SHUTDOWN) this.flags.passAgain = true;
      else if (lifecycle.phase === 'running' && this.launcher.liveCount(item) > 0)
        this.policy.whileRunning(item);
      else this.due.dirty.add(item);
    }
    this.due.arm();
  }

  /** One pass: due wakes and timeouts, then every task due for a look, in priority order. */
  async pass(): Promise<void> {
    if (this.lifecycle.phase !== 'running') return;
    if (this.flags.passing) {
      this.flags.passAgain = true;
      return;
    }
    this.flags.passing = true;
    this.flags.passAgain = false;
    const leading = this.leadership.isLeader;
    const { dirty } = this.due;
    const now = this.ports.clock.now();
    // Whether the pass held for a `main` run: then it ended later than it began.
    let held = false;
    try {
      if (this.clockSteps.steppedBack(now) && leading)
        for (const task of this.ports.tasks.tasks) dirty.add(task);
      for (const item of this.wakes.popDue(now)) {
        if (item instanceof RunHandle) this.launcher.timeOut(item);
        else if (item !== SHUTDOWN && leading) dirty.add(item);
      }
      if (leading) {
        for (const task of this.due.dependencies.perCycle) dirty.add(task);
        const due = inPriorityOrder(dirty);
        dirty.clear();
        for (const task of due) {
          if (this.lifecycle.phase !== 'running' || !this.leadership.isLeader) break;
          const mainRun = this.policy.consider(task);
          this.checker.lookedAt(task);
          if (mainRun !== undefined) {
            held = true;
            await mainRun;
          }
        }
        this.progress.cycles++;
      } else {
        // Not the leader: nothing is looked at (and no check result kept for later); becoming
        // the leader looks at every task.
        for (const task of dirty) this.checker.lookedAt(task);
        dirty.clear();
      }
      // Whether this process stops is its own affair, leader or not.
      this.checkShutdown();
    } finally {
      this.flags.passing = false;
      this.progress.lastPassAt = held ? this.ports.clock.now() : now;
      if (this.lifecycle.phase === 'running') {
        if (this.flags.passAgain || dirty.size > 0) this.due.requestPass();
        this.due.arm();
      }
    }
  }

  private checkShutdown(): void {
    const condition = this.lifecycle.shutdownWhen;
    if (condition === undefined) return;
    const result = this.checker.checkNow(condition, undefined);
    this.checker.lookedAt(undefined);
    if (result.value) void this.stopper.shutdown();
    else this.wakes.set(SHUTDOWN, result.next);
  }
}

/**
 * The tasks due for a look, highest priority first. A removed task's ending run still asks for a
 * look: it starts nothing any more. Most passes look at one task (the one whose run just ended),
 * which needs no sort.
 */
function inPriorityOrder(dirty: ReadonlySet<ScheduledTask>): ScheduledTask[] {
  const due: ScheduledTask[] = [];
  for (const task of dirty) if (!task.removed) due.push(task);
  if (due.length > 1) due.sort(byPriority);
  return due;
}
