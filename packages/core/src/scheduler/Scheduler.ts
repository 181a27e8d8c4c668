import { callingRun, type CallingRun } from '../execution/callingRun';
import type { Condition } from '../conditions/Condition';
import type { Explanation } from '../conditions/Explanation';
import type { TaskStateView } from '../conditions/ConditionContext';
import { ApogeeError } from '../errors/ApogeeError';
import type { LiveRun } from '../execution/LiveRun';
import type { BackfillOptions, BackfillReport } from './backfill/BackfillRange';
import { Backfills } from './backfill/Backfills';
import { alwaysLeader, type Leadership } from './cluster/Leadership';
import { nextRunOf, upcomingRuns } from './prediction/predict';
import { explainCondition } from './explain/explainCondition';
import { RequestRouter } from './cluster/RequestRouter';
import { scheduleInstants } from './prediction/scheduleInstants';
import type { RunHistory } from './backfill/RunHistory';
import type { SchedulerLifecycle } from './SchedulerLifecycle';
import type { SchedulerPorts } from './SchedulerPorts';
import type { Batch, ScheduledTask, TaskHost } from './task/ScheduledTask';
import type { SchedulerProgress } from './SchedulerProgress';
import { SchedulerLoop } from './loop/SchedulerLoop';
import { byPriority } from './task/byPriority';

/** Without a history, no run is known to have happened and no record is heard of. */
const NO_HISTORY: RunHistory = { records: () => Promise.resolve([]), listen: () => () => undefined };

export type { SchedulerPorts, TaskSource } from './SchedulerPorts';

/**
 * The event-driven scheduler. It checks a task only when something it depends on may have
 * changed: the instant its condition said it could next become true, a finished run of a task it
 * watches, a queued batch, an emission. Between those it sleeps on a single timer. This class
 * keeps the lifecycle (start-up tasks, the loop, shutdown tasks) and answers the tasks
 * ({@link TaskHost}); its {@link SchedulerLoop} runs the passes and owns the parts that check
 * conditions, launch runs, index dependencies, queue emissions and keep the timer.
 */
export class Scheduler implements TaskHost {
  private readonly loop: SchedulerLoop;
  private readonly owedStart = (task: ScheduledTask): number | undefined => this.loop.policy.owedStart(task);
  private readonly leadership: Leadership;
  private readonly router: RequestRouter;
  private readonly backfills: Backfills;
  private readonly progress: SchedulerProgress = { startedAt: undefined, cycles: 0 };

  // ---- the lifecycle's state ----
  private readonly lifecycle: SchedulerLifecycle = { phase: 'idle', shutdownWhen: undefined };
  private stopLeadershipWatch: (() => void) | undefined;
  private stopServing: (() => void) | undefined;
  private resolveStopped: () => void = () => undefined;
  private stoppedPromise: Promise<void>;
  private stopping: Promise<void> | undefined;

  constructor(private readonly ports: SchedulerPorts) {
    this.leadership = ports.leadership ?? alwaysLeader;
    this.loop = new SchedulerLoop(ports, this.lifecycle, this.progress, this);
    const { launcher, checker } = this.loop;
    this.router = new RequestRouter(ports.relay, this.leadership, this.loop.emissions, {
      find: (name) => ports.tasks.tasks.find((t) => t.name === name),
      tasks: () => ports.tasks.tasks,
      terminateHere: (task) => {
        launcher.terminate(task, 'terminated by task.terminate()');
      },
      ...(ports.warn === undefined ? {} : { warn: ports.warn }),
    });
    this.backfills = new Backfills({
      history: ports.history ?? NO_HISTORY,
      now: () => ports.clock.now(),
      isRunning: () => this.isRunning,
      instants: (task, from, to) => scheduleInstants(task, from, to, checker),
      submit: (task, batch) => this.router.submit(task, batch),
      ...(ports.warn === undefined ? {} : { warn: ports.warn }),
    });
    this.stoppedPromise = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** When the last pass ended (ms since the epoch); `undefined` before the first. */
  get lastPassAt(): number | undefined {
    return this.progress.lastPassAt;
  }

  /** True from `start()` until shutdown begins. */
  get isRunning(): boolean {
    return this.lifecycle.phase === 'starting' || this.lifecycle.phase === 'running';
  }

  // ---- lifecycle ----

  /**
   * Runs start-up tasks, then the loop; resolves once the scheduler has stopped. It may run
   * again after a stop. `shutdownWhen` stops it when it holds.
   */
  async start(shutdownWhen?: Condition): Promise<void> {
    const { lifecycle, loop } = this;
    if (lifecycle.phase === 'stopped') this.reset();
    if (lifecycle.phase !== 'idle') {
      throw new ApogeeError(
        'SCHEDULER_STATE',
        `The scheduler is already ${lifecycle.phase}: app.run() was called twice. Await the first run, or call app.shutdown() first.`,
      );
    }
    lifecycle.phase = 'starting';
    lifecycle.shutdownWhen = shutdownWhen;
    const { events, clock, tasks } = this.ports;
    this.progress.startedAt = clock.now();
    events.notify({ type: 'schedulerStarted', at: new Date(this.progress.startedAt) });
    for (const task of tasks.tasks) loop.due.dependencies.add(task);
    for (const task of tasks.tasks.filter((t) => t.definition.onStartup).sort(byPriority)) {
      if (lifecycle.phase !== 'starting') break;
      await loop.launcher.launch(task, task.takeBatch()).done;
    }
    if (lifecycle.phase === 'starting') {
      lifecycle.phase = 'running';
      for (const task of tasks.tasks) loop.emissions.subscribe(task);
      this.stopLeadershipWatch = this.leadership.onChange(this.leadershipChanged);
      this.stopServing = this.router.serve();
      loop.lookAtAll();
    }
    return this.stoppedPromise;
  }

  private reset(): void {
    this.lifecycle.phase = 'idle';
    this.stopping = undefined;
    this.progress.cycles = 0;
    this.loop.due.dirty.clear();
    this.stoppedPromise = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** Stops scheduling, runs shutdown tasks, waits for (or terminates) live runs. */
  shutdown(): Promise<void> {
    if (this.lifecycle.phase === 'idle') {
      this.lifecycle.phase = 'stopped';
      this.resolveStopped();
    }
    // Called from inside a run (main or async): that run ends before shutdown tasks start.
    this.stopping ??= this.stop(callingRun.getStore());
    return this.stopping;
  }

  private async stop(caller: CallingRun | undefined): Promise<void> {
    const { lifecycle, loop } = this;
    if (lifecycle.phase === 'stopped') return;
    lifecycle.phase = 'stopping';
    loop.due.arm();
    this.stopLeadershipWatch?.();
    this.stopLeadershipWatch = undefined;
    this.stopServing?.();
    this.stopServing = undefined;
    loop.emissions.unsubscribeAll();
    this.backfills.interrupt();
    const { tasks, instantShutdown, executor, events, clock } = this.ports;
    if (caller !== undefined) await caller.done;
    for (const task of tasks.tasks.filter((t) => t.definition.onShutdown).sort(byPriority)) {
      await loop.launcher.launch(task, task.takeBatch()).done;
    }
    for (const task of loop.launcher.liveTasks()) {
      if (instantShutdown === true || task.definition.permanent)
        loop.launcher.terminate(task, 'the scheduler shut down');
    }
    await loop.launcher.drain();
    await executor.close();
    loop.clear();
    lifecycle.phase = 'stopped';
    events.notify({ type: 'schedulerStopped', at: new Date(clock.now()) });
    this.resolveStopped();
  }

  /** A task registered while the scheduler runs (or before it starts). */
  added(task: ScheduledTask): void {
    this.loop.added(task);
  }

  private readonly leadershipChanged = (isLeader: boolean, reason?: string): void => {
    // Gaining it: everything is due for a look. Losing it: the next passes start nothing, and
    // this process's own runs of the schedule stop, since the next leader may start the task.
    if (isLeader) this.loop.lookAtAll();
    else this.stopLeaderRuns(reason);
  };

  /**
   * Terminates the runs this process started as the leader and executes itself. Queue runs go
   * on (the next leader adopts them), and so do start-up and shutdown tasks (each process's own).
   * Their ends are recorded as usual; a run the next leader already recorded `crash` (this
   * process was silent past its lease) keeps that one end: the log refuses a second.
   */
  private stopLeaderRuns(reason: string | undefined): void {
    const why = `this process lost the leadership${reason === undefined ? '' : ` (${reason})`}; another may start the task now`;
    const { launcher } = this.loop;
    for (const task of [...launcher.liveTasks()]) {
      const def = task.definition;
      if (def.execution === 'queue' || def.onStartup || def.onShutdown) continue;
      launcher.terminate(task, why);
    }
  }

  // ---- TaskHost ----

  state(taskName: string): TaskStateView {
    return this.ports.state.get(taskName);
  }

  wake(task: ScheduledTask): void {
    this.loop.due.wake(task);
  }

  terminate(task: ScheduledTask): void {
    if (!this.router.terminate(task)) this.loop.launcher.terminate(task, 'terminated by task.terminate()');
  }

  submit(task: ScheduledTask, batch: Batch): string {
    return this.router.submit(task, batch);
  }

  submitAwaited(task: ScheduledTask, batch: Batch, bound?: number): Promise<string> {
    return this.router.submitAwaited(task, batch, bound);
  }

  batchesChanged(task: ScheduledTask): void {
    this.router.batchesChanged(task);
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
    this.loop.forget(task);
    this.backfills.interrupt(task.name);
    const { launcher } = this.loop;
    if (this.ports.instantShutdown === true || task.definition.permanent)
      launcher.terminate(task, 'the task was removed');
    await launcher.drain(task);
  }

  backfill(task: ScheduledTask, options: BackfillOptions): Promise<BackfillReport> {
    return this.backfills.run(task, options);
  }

  nextRun(task: ScheduledTask): Date | undefined {
    return nextRunOf(task, this.ports.clock.now(), this.loop.checker, this.owedStart);
  }

  explain(task: ScheduledTask): Explanation {
    return explainCondition(task, this.ports.clock.now(), this.loop.checker);
  }

  /** The next `n` predicted runs across tasks, soonest first (see {@link upcomingRuns}). */
  upcoming(n: number): { taskName: string; at: Date }[] {
    return upcomingRuns(this.ports.tasks.tasks, this.ports.clock.now(), n, this.loop.checker, this.owedStart);
  }

  /** Runs under way, oldest first, of one task or of all. */
  liveRuns(task?: ScheduledTask): LiveRun[] {
    return this.loop.launcher.liveRuns(task);
  }
}
