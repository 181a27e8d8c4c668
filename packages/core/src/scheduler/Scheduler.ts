import { callingRun, type CallingRun } from '../execution/callingRun';
import type { Condition } from '../conditions/Condition';
import type { Explanation } from '../conditions/Explanation';
import type { TaskStateView } from '../conditions/ConditionContext';
import { ApogeeError } from '../errors/ApogeeError';
import type { LiveRun } from '../execution/LiveRun';
import { RunHandle } from '../execution/RunHandle';
import type { CheckWaker } from './checks/AsyncChecks';
import { ClockStepWatch } from './loop/ClockStepWatch';
import { ConditionChecker } from './checks/ConditionChecker';
import { DependencyIndex } from './checks/DependencyIndex';
import { EmissionQueues } from './checks/EmissionQueues';
import type { BackfillOptions, BackfillReport } from './backfill/BackfillRange';
import { Backfills } from './backfill/Backfills';
import { alwaysLeader, type Leadership } from './cluster/Leadership';
import { PassQueue, type PassRunner } from './loop/PassQueue';
import { nextRunOf, upcomingRuns } from './prediction/predict';
import { explainCondition } from './explain/explainCondition';
import { RequestRouter } from './cluster/RequestRouter';
import { RunLauncher, type LaunchContext } from './launch/RunLauncher';
import { scheduleInstants } from './prediction/scheduleInstants';
import type { RunHistory } from './backfill/RunHistory';
import type { SchedulerPorts } from './SchedulerPorts';
import type { Batch, ScheduledTask, TaskHost } from './task/ScheduledTask';
import type { SchedulerProgress } from './SchedulerProgress';
import { StartPolicy, type StartHost } from './launch/StartPolicy';
import { WakeQueue } from './loop/WakeQueue';
import { WakeTimer, type WakeTarget } from './loop/WakeTimer';

const SHUTDOWN = Symbol('shutdownWhen');
/** Without a history, no run is known to have happened and no record is heard of. */
const NO_HISTORY: RunHistory = { records: () => Promise.resolve([]), listen: () => () => undefined };

export type { SchedulerPorts, TaskSource } from './SchedulerPorts';

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

const byPriority = (a: ScheduledTask, b: ScheduledTask): number =>
  b.priority - a.priority || a.order - b.order;

/**
 * The event-driven loop. It checks a task only when something it depends on may have changed:
 * the instant its condition said it could next become true, a finished run of a task it
 * watches, a queued batch, an emission. Between those it sleeps on a single timer. It keeps the
 * lifecycle phases and the pass; its parts check conditions, launch runs, index dependencies,
 * queue emissions and keep the timer. While its {@link Leadership} says it is not the leader, a
 * pass only times runs out and checks `shutdownWhen`: no condition is checked, no run started.
 */
export class Scheduler implements TaskHost, LaunchContext, WakeTarget, PassRunner, CheckWaker, StartHost {
  private readonly checker: ConditionChecker;
  private readonly launcher: RunLauncher;
  private readonly policy: StartPolicy;
  private readonly owedStart = (task: ScheduledTask): number | undefined => this.policy.owedStart(task);
  private readonly dependencies = new DependencyIndex();
  private readonly emissions: EmissionQueues;
  private readonly timer: WakeTimer;
  private readonly leadership: Leadership;
  private readonly router: RequestRouter;
  private readonly backfills: Backfills;
  private readonly progress: SchedulerProgress = { startedAt: undefined, cycles: 0 };

  // ---- the pass's state ----
  /** When to look at a task again, when a run times out, when to check `shutdownWhen`. */
  private readonly wakes = new WakeQueue<ScheduledTask | RunHandle | typeof SHUTDOWN>();
  /** Tasks to look at in the next pass. */
  private readonly dirty = new Set<ScheduledTask>();
  private readonly passes = new PassQueue(this);
  /** A pass is running; one requested meanwhile sets `passAgain` instead. */
  private passing = false;
  private passAgain = false;
  private readonly clockSteps: ClockStepWatch;

  // ---- the lifecycle's state ----
  private phase: Phase = 'idle';
  private shutdownWhen: Condition | undefined;
  private stopLeadershipWatch: (() => void) | undefined;
  private stopServing: (() => void) | undefined;
  private resolveStopped: () => void = () => undefined;
  private stoppedPromise: Promise<void>;
  private stopping: Promise<void> | undefined;

  constructor(private readonly ports: SchedulerPorts) {
    this.leadership = ports.leadership ?? alwaysLeader;
    this.emissions = new EmissionQueues(this, ports.events, ports.clock);
    this.checker = new ConditionChecker(ports, this.progress, this.emissions, this);
    this.launcher = new RunLauncher(ports, this.wakes, this);
    this.policy = new StartPolicy(ports, this.launcher, this.checker, this.wakes, this.emissions, this);
    this.router = new RequestRouter(ports.relay, this.leadership, this.emissions, {
      find: (name) => ports.tasks.tasks.find((t) => t.name === name),
      terminateHere: (task) => {
        this.launcher.terminate(task, 'terminated by task.terminate()');
      },
    });
    this.backfills = new Backfills({
      history: ports.history ?? NO_HISTORY,
      now: () => ports.clock.now(),
      isRunning: () => this.isRunning,
      instants: (task, from, to) => scheduleInstants(task, from, to, this.checker),
      submit: (task, batch) => this.router.submit(task, batch),
    });
    this.timer = new WakeTimer(ports.clock, ports.preciseTiming ?? false, this);
    this.clockSteps = new ClockStepWatch(ports.clock);
    this.stoppedPromise = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** True from `start()` until shutdown begins. */
  get isRunning(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  // ---- lifecycle ----

  /**
   * Runs start-up tasks, then the loop; resolves once the scheduler has stopped. It may run
   * again after a stop. `shutdownWhen` stops it when it holds.
   */
  async start(shutdownWhen?: Condition): Promise<void> {
    if (this.phase === 'stopped') this.reset();
    if (this.phase !== 'idle') {
      throw new ApogeeError(
        'SCHEDULER_STATE',
        `The scheduler is already ${this.phase}: app.run() was called twice. Await the first run, or call app.shutdown() first.`,
      );
    }
    this.phase = 'starting';
    this.shutdownWhen = shutdownWhen;
    const { events, clock, tasks } = this.ports;
    this.progress.startedAt = clock.now();
    events.notify({ type: 'schedulerStarted', at: new Date(this.progress.startedAt) });
    for (const task of tasks.tasks) this.dependencies.add(task);
    for (const task of tasks.tasks.filter((t) => t.definition.onStartup).sort(byPriority)) {
      if (this.phase !== 'starting') break;
      await this.launcher.launch(task, task.takeBatch()).done;
    }
    if (this.phase === 'starting') {
      this.phase = 'running';
      for (const task of tasks.tasks) this.emissions.subscribe(task);
      this.stopLeadershipWatch = this.leadership.onChange(this.leadershipChanged);
      this.stopServing = this.router.serve();
      this.lookAtAll();
    }
    return this.stoppedPromise;
  }

  private reset(): void {
    this.phase = 'idle';
    this.stopping = undefined;
    this.progress.cycles = 0;
    this.dirty.clear();
    this.stoppedPromise = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** Stops scheduling, runs shutdown tasks, waits for (or terminates) live runs. */
  shutdown(): Promise<void> {
    if (this.phase === 'idle') {
      this.phase = 'stopped';
      this.resolveStopped();
    }
    // Called from inside a run (main or async): that run ends before shutdown tasks start.
    this.stopping ??= this.stop(callingRun.getStore());
    return this.stopping;
  }

  private async stop(caller: CallingRun | undefined): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.arm();
    this.stopLeadershipWatch?.();
    this.stopLeadershipWatch = undefined;
    this.stopServing?.();
    this.stopServing = undefined;
    this.emissions.unsubscribeAll();
    this.backfills.interrupt();
    const { tasks, instantShutdown, executor, events, clock } = this.ports;
    if (caller !== undefined) await caller.done;
    for (const task of tasks.tasks.filter((t) => t.definition.onShutdown).sort(byPriority)) {
      await this.launcher.launch(task, task.takeBatch()).done;
    }
    for (const task of this.launcher.liveTasks()) {
      if (instantShutdown === true || task.definition.permanent)
        this.launcher.terminate(task, 'the scheduler shut down');
    }
    await this.launcher.drain();
    await executor.close();
    this.checker.forgetChecks();
    this.policy.clear();
    this.timer.cancel();
    this.wakes.clear();
    this.phase = 'stopped';
    events.notify({ type: 'schedulerStopped', at: new Date(clock.now()) });
    this.resolveStopped();
  }

  /** A task registered while the scheduler runs (or before it starts). */
  added(task: ScheduledTask): void {
    this.dependencies.add(task);
    if (this.phase === 'running') this.emissions.subscribe(task);
    this.wake(task);
  }

  private readonly leadershipChanged = (isLeader: boolean): void => {
    // Gaining it: everything is due for a look. Losing it: the next passes start nothing.
    if (isLeader) this.lookAtAll();
  };

  private lookAtAll(): void {
    for (const task of this.ports.tasks.tasks) this.dirty.add(task);
    this.requestPass();
  }

  // ---- TaskHost ----

  state(taskName: string): TaskStateView {
    return this.ports.state.get(taskName);
  }

  wake(task: ScheduledTask): void {
    this.dirty.add(task);
    this.requestPass();
  }

  terminate(task: ScheduledTask): void {
    if (!this.router.terminate(task)) this.launcher.terminate(task, 'terminated by task.terminate()');
  }

  submit(task: ScheduledTask, batch: Batch): string {
    return this.router.submit(task, batch);
  }

  now(): number {
    return this.ports.clock.now();
  }

  disabledChanged(task: ScheduledTask, disabled: boolean): void {
    this.ports.disabledChanged?.(task, disabled);
  }

  /**
   * `task.remove()`: out of the session and of every part that would wake or start it; its live
   * runs end as at shutdown (waited for, or terminated with `instantShutdown` or `permanent`).
   */
  async remove(task: ScheduledTask): Promise<void> {
    if (!this.ports.tasks.remove(task)) return;
    this.dependencies.remove(task);
    this.emissions.forget(task);
    this.policy.forget(task);
    this.dirty.delete(task);
    this.wakes.set(task, Infinity);
    this.backfills.interrupt(task.name);
    if (this.ports.instantShutdown === true || task.definition.permanent)
      this.launcher.terminate(task, 'the task was removed');
    await this.launcher.drain(task);
  }

  backfill(task: ScheduledTask, options: BackfillOptions): Promise<BackfillReport> {
    return this.backfills.run(task, options);
  }

  // ---- CheckWaker ----

  checkSettled(task: ScheduledTask | undefined): void {
    // shutdownWhen is checked in every pass.
    if (task === undefined) this.requestPass();
    else this.wake(task);
  }

  nextRun(task: ScheduledTask): Date | undefined {
    return nextRunOf(task, this.ports.clock.now(), this.checker, this.owedStart);
  }

  explain(task: ScheduledTask): Explanation {
    return explainCondition(task, this.ports.clock.now(), this.checker);
  }

  /** The next `n` predicted runs across tasks, soonest first (see {@link upcomingRuns}). */
  upcoming(n: number): { taskName: string; at: Date }[] {
    return upcomingRuns(this.ports.tasks.tasks, this.ports.clock.now(), n, this.checker, this.owedStart);
  }

  /** Runs under way, oldest first, of one task or of all. */
  liveRuns(task?: ScheduledTask): LiveRun[] {
    return this.launcher.liveRuns(task);
  }

  // ---- LaunchContext ----

  lookAt(task: ScheduledTask): void {
    this.dirty.add(task);
  }

  touched(task: ScheduledTask): void {
    for (const other of this.dependencies.dependentsOf(task.name)) this.dirty.add(other);
    this.requestPass();
  }

  requestPass(): void {
    if (this.phase !== 'running') return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passes.request();
  }

  // ---- the loop ----

  /** The timer's instant has come. */
  onWake(): void {
    this.passes.loopTurned();
    if (this.phase === 'running' && !this.passing) {
      void this.pass();
      return;
    }
    if (this.phase !== 'running' && this.phase !== 'stopping') return;
    // A pass holds for a `main` run, or shutdown waits for live runs: timeouts still fire, and
    // what else fell due is left for the next pass.
    for (const item of this.wakes.popDue(this.ports.clock.now())) {
      if (item instanceof RunHandle) this.launcher.timeOut(item);
      else if (item === SHUTDOWN) this.passAgain = true;
      else if (this.phase === 'running' && this.launcher.liveCount(item) > 0) this.policy.whileRunning(item);
      else this.dirty.add(item);
    }
    this.arm();
  }

  /** One pass: due wakes and timeouts, then every task due for a look, in priority order. */
  async pass(): Promise<void> {
    if (this.phase !== 'running') return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = true;
    this.passAgain = false;
    const leading = this.leadership.isLeader;
    try {
      if (this.clockSteps.steppedBack() && leading)
        for (const task of this.ports.tasks.tasks) this.dirty.add(task);
      for (const item of this.wakes.popDue(this.ports.clock.now())) {
        if (item instanceof RunHandle) this.launcher.timeOut(item);
        else if (item !== SHUTDOWN && leading) this.dirty.add(item);
      }
      if (leading) {
        for (const task of this.dependencies.perCycle) this.dirty.add(task);
        // A removed task's ending run still asks for a look: it starts nothing any more.
        const due = [...this.dirty].filter((t) => !t.removed).sort(byPriority);
        this.dirty.clear();
        for (const task of due) {
          if (this.phase !== 'running' || !this.leadership.isLeader) break;
          const mainRun = this.policy.consider(task);
          this.checker.lookedAt(task);
          if (mainRun !== undefined) await mainRun;
        }
        this.progress.cycles++;
      } else {
        // Not the leader: nothing is looked at (and no check result kept for later); becoming
        // the leader looks at every task.
        for (const task of this.dirty) this.checker.lookedAt(task);
        this.dirty.clear();
      }
      // Whether this process stops is its own affair, leader or not.
      this.checkShutdown();
    } finally {
      this.passing = false;
      if (this.phase === 'running') {
        if (this.passAgain || this.dirty.size > 0) this.requestPass();
        this.arm();
      }
    }
  }

  /** Points the one timer at the earliest due instant. */
  arm(): void {
    this.timer.arm(this.wakes.peek());
  }

  private checkShutdown(): void {
    const condition = this.shutdownWhen;
    if (condition === undefined) return;
    const result = this.checker.checkNow(condition, undefined);
    this.checker.lookedAt(undefined);
    if (result.value) void this.shutdown();
    else this.wakes.set(SHUTDOWN, result.next);
  }
}
