import type { Subscription } from 'rxjs';
import type { Condition, Evaluation } from '../conditions/Condition';
import type { CronSchedule, TaskStateView } from '../conditions/ConditionContext';
import { WhenCondition } from '../conditions/custom/when';
import { SchedulerCyclesCondition } from '../conditions/scheduler/schedulerCycles';
import { walkCondition } from '../conditions/walkCondition';
import { ApogeeError } from '../errors/ApogeeError';
import { TaskTimeoutError } from '../errors/TaskTimeoutError';
import { UnknownConditionError } from '../errors/UnknownConditionError';
import { nextRunId } from '../execution/nextRunId';
import { RunHandle } from '../execution/RunHandle';
import type { RemoteExecutor } from '../execution/remote/RemoteExecutor';
import { runInProcess, type RunOutcome } from '../execution/runInProcess';
import type { Parameters } from '../params/levels';
import type { ResolutionHost } from '../params/ResolutionHost';
import { ResolutionScope } from '../params/ResolutionScope';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { RunRecord } from '../log/RunRecord';
import type { Calendar } from '../time/Calendar';
import type { Clock } from '../time/Clock';
import { CheckContext, type CheckHost } from './CheckContext';
import { CronerSchedule } from './CronSchedule';
import type { CustomConditionDefinition } from './CustomConditionDefinition';
import type { ScheduledTask, TaskHost } from './ScheduledTask';
import type { SchedulerEvent } from './SchedulerEvent';
import { WakeQueue } from './WakeQueue';

/**
 * The longest the scheduler sleeps in one go, even when nothing is due for days. Timers run on
 * the monotonic clock while due instants are wall-clock times: after a suspend or a clock step
 * the two disagree, and waking once a minute bounds the error. It is one timer for the whole
 * app, whatever the number of tasks. (croner does the same with a 30-second cap.)
 */
const MAX_SLEEP = 60_000;
/**
 * How early (ms) the timer is armed before a due instant. libuv measures timers from the loop
 * time cached at the start of an iteration, and a sleeping VM may wake late: on a 2-core VM a
 * timer fired up to about 3 ms off, early or late.
 */
const EARLY_TIMER_SLACK = 3;
/**
 * The longest stretch (ms) before a due instant that the scheduler blocks for once its timer has
 * fired early: it sleeps in `Atomics.wait` (no CPU, no allocation) until the last millisecond,
 * which it spins through because `Date.now()` has whole milliseconds only. Event-loop turns
 * instead (the first design) allocated about 100 KB per due instant, whose young-generation
 * collections landed in later passes, and let queued V8 tasks run right before the instant.
 */
const FINAL_WAIT = 2 * EARLY_TIMER_SLACK;
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
/** How soon a condition that threw is checked again. */
const RETRY_FAILED_CONDITION = 1000;
/** Consecutive microtask passes before one yields to the event loop. */
const MAX_MICRO_PASSES = 64;
/** Upper bound on simulated steps when predicting runs, against conditions that never settle. */
const MAX_SIMULATION_STEPS = 10_000;

const SHUTDOWN = Symbol('shutdownWhen');
const NEVER_ABORTED = { signal: new AbortController().signal };
const RESOLVED = Promise.resolve();

/** What the scheduler needs from the app that owns it. */
export interface SchedulerDeps {
  readonly tasks: () => readonly ScheduledTask[];
  readonly state: TaskStateIndex;
  /** Writes a record to the state index and the run log. */
  readonly record: (record: RunRecord) => void;
  readonly emit: (event: SchedulerEvent) => void;
  /** Whether anyone listens to events: per-run events are only built for a listener. */
  readonly listening: () => boolean;
  readonly setReturn: (taskName: string, value: unknown) => void;
  readonly host: ResolutionHost;
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  readonly clock: Clock;
  readonly calendar: Calendar;
  /** Read at each check: the app parses it when it starts. */
  readonly shutdownWhen: () => Condition | undefined;
  readonly instantShutdown: boolean;
  /** Runs `thread` and `process` tasks. */
  readonly remote: RemoteExecutor;
}

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as Promise<T> | undefined)?.then === 'function';

const byPriority = (a: ScheduledTask, b: ScheduledTask): number =>
  b.priority - a.priority || a.order - b.order;

/**
 * The event-driven loop. It checks a task only when something it depends on may have changed:
 * the instant its condition said it could next become true, a finished run of a task it
 * watches, a queued batch, an emission. Between those it sleeps on a single timer.
 */
export class Scheduler implements TaskHost, CheckHost {
  private readonly wakes = new WakeQueue<ScheduledTask | RunHandle | typeof SHUTDOWN>();
  private readonly dirty = new Set<ScheduledTask>();
  private readonly live = new Map<ScheduledTask, Set<RunHandle>>();
  private readonly taskOf = new Map<RunHandle, ScheduledTask>();
  private readonly dependents = new Map<string, Set<ScheduledTask>>();
  private readonly perCycle = new Set<ScheduledTask>();
  /** Thread and process tasks that were due while every worker of their kind was busy. */
  private readonly awaitingWorker = new Set<ScheduledTask>();
  private readonly emissions = new Map<ScheduledTask, Map<WhenCondition, unknown[]>>();
  private readonly subscriptions: Subscription[] = [];
  private readonly cronCache = new Map<string, CronSchedule>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private passQueued = false;
  private microPasses = 0;
  private passing = false;
  private passAgain = false;
  private phase: Phase = 'idle';
  private resolveStopped: () => void = () => undefined;
  private stoppedPromise: Promise<void>;
  private stopping: Promise<void> | undefined;

  startedAt: number | undefined;
  cycles = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.stoppedPromise = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  get calendar(): Calendar {
    return this.deps.calendar;
  }

  /** True from `start()` until shutdown begins. */
  get isRunning(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Runs start-up tasks, then the loop; resolves once the scheduler has stopped. It may run again after a stop. */
  async start(): Promise<void> {
    if (this.phase === 'stopped') this.reset();
    if (this.phase !== 'idle') {
      throw new ApogeeError(
        'SCHEDULER_STATE',
        `The scheduler is already ${this.phase}: app.run() was called twice. Await the first run, or call app.shutdown() first.`,
      );
    }
    this.phase = 'starting';
    this.startedAt = this.deps.clock.now();
    this.deps.emit({ type: 'schedulerStarted', at: new Date(this.startedAt) });
    for (const task of this.deps.tasks()) this.index(task);
    for (const task of [...this.deps.tasks()].filter((t) => t.definition.onStartup).sort(byPriority)) {
      if (this.phase !== 'starting') break;
      await this.launch(task, task.takeBatch()).done;
    }
    if (this.phase === 'starting') {
      this.phase = 'running';
      this.subscribe();
      for (const task of this.deps.tasks()) this.dirty.add(task);
      this.requestPass();
    }
    return this.stoppedPromise;
  }

  private reset(): void {
    this.phase = 'idle';
    this.stopping = undefined;
    this.cycles = 0;
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
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.arm();
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    for (const task of [...this.deps.tasks()].filter((t) => t.definition.onShutdown).sort(byPriority)) {
      await this.launch(task, task.takeBatch()).done;
    }
    for (const [task, runs] of this.live) {
      if (this.deps.instantShutdown || task.definition.permanent) {
        for (const run of [...runs]) this.terminateRun(task, run, 'the scheduler shut down');
      }
    }
    await Promise.all([...this.live.values()].flatMap((runs) => [...runs].map((r) => r.done)));
    await this.deps.remote.close();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.wakes.clear();
    this.phase = 'stopped';
    this.deps.emit({ type: 'schedulerStopped', at: new Date(this.deps.clock.now()) });
    this.resolveStopped();
  }

  /** A task registered while the scheduler runs. */
  added(task: ScheduledTask): void {
    this.index(task);
    if (this.phase === 'running') this.subscribeTask(task);
    this.wake(task);
  }

  /** A worker of `kind` is free: the tasks that were waiting for one are due for a look. */
  workerFree(kind: 'thread' | 'process'): void {
    for (const task of this.awaitingWorker) {
      if (task.definition.execution !== kind) continue;
      this.awaitingWorker.delete(task);
      this.dirty.add(task);
    }
    this.requestPass();
  }

  // ---- TaskHost ----------------------------------------------------------------------------

  state(taskName: string): TaskStateView {
    return this.deps.state.get(taskName);
  }

  wake(task: ScheduledTask): void {
    this.dirty.add(task);
    this.requestPass();
  }

  terminate(task: ScheduledTask): void {
    for (const run of [...(this.live.get(task) ?? [])])
      this.terminateRun(task, run, 'terminated by task.terminate()');
  }

  nextRun(task: ScheduledTask): Date | undefined {
    const now = this.deps.clock.now();
    if (task.batchCount > 0) return new Date(now);
    const [first] = this.simulate(task, now, 1);
    return first === undefined ? undefined : new Date(first);
  }

  /** The next `n` predicted runs across tasks, soonest first (tasks whose runs cannot be predicted are left out). */
  upcoming(n: number): { taskName: string; at: Date }[] {
    const now = this.deps.clock.now();
    const all: { taskName: string; at: number }[] = [];
    for (const task of this.deps.tasks()) {
      if (task.batchCount > 0) all.push({ taskName: task.name, at: now });
      for (const at of this.simulate(task, now, n)) all.push({ taskName: task.name, at });
    }
    return all
      .sort((a, b) => a.at - b.at)
      .slice(0, n)
      .map((e) => ({ taskName: e.taskName, at: new Date(e.at) }));
  }

  // ---- CheckHost ---------------------------------------------------------------------------

  stateOf(taskName: string): TaskStateView {
    return this.deps.state.get(taskName);
  }

  cron(expression: string): CronSchedule {
    let schedule = this.cronCache.get(expression);
    if (schedule === undefined) {
      schedule = new CronerSchedule(expression, this.deps.calendar.timezone);
      this.cronCache.set(expression, schedule);
    }
    return schedule;
  }

  async evaluateCustom(
    name: string,
    args: readonly unknown[],
    task: ScheduledTask | undefined,
  ): Promise<boolean> {
    const def = this.deps.customs.get(name);
    if (def === undefined)
      throw new UnknownConditionError(
        name,
        this.deps.customs.keys(),
        task === undefined ? 'config.shutdownWhen' : `task "${task.name}"`,
      );
    const scope = new ResolutionScope(
      this.deps.host,
      task,
      task?.name,
      undefined,
      task?.parameters,
      NEVER_ABORTED,
    );
    const leading = Array.from({ length: def.leading }, (_, i) => args[i]);
    const values = await scope.resolveInjections(def.injections, def.owner, leading);
    return Boolean(await def.call(values));
  }

  customPoll(name: string): number {
    return this.deps.customs.get(name)?.poll ?? RETRY_FAILED_CONDITION;
  }

  sessionParameter(key: string): { readonly exists: boolean; readonly value: unknown } {
    const params = this.deps.host.sessionParams;
    return { exists: params.has(key), value: params.get(key) };
  }

  pendingEmissions(task: ScheduledTask | undefined, source: object): number {
    if (task === undefined) return 0;
    return this.emissions.get(task)?.get(source as WhenCondition)?.length ?? 0;
  }

  // ---- the loop ----------------------------------------------------------------------------

  private requestPass(): void {
    if (this.phase !== 'running') return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    if (this.passQueued) return;
    this.passQueued = true;
    // A microtask keeps an event-triggered pass in the same instant as the event (a follow-up
    // task starts the moment its dependency ends). After a streak of them, setImmediate yields
    // to I/O, so even a task that is always due (multilaunch + always) cannot starve the process.
    if (this.microPasses < MAX_MICRO_PASSES) {
      this.microPasses++;
      // A promise job rather than queueMicrotask, which fake-timer libraries replace.
      void RESOLVED.then(() => {
        this.passQueued = false;
        return this.pass();
      });
    } else {
      setImmediate(() => {
        this.microPasses = 0;
        this.passQueued = false;
        void this.pass();
      });
    }
  }

  private async pass(): Promise<void> {
    if (this.phase !== 'running') return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = true;
    this.passAgain = false;
    try {
      for (const item of this.wakes.popDue(this.deps.clock.now())) {
        if (item instanceof RunHandle) this.timeOut(item);
        else if (item !== SHUTDOWN) this.dirty.add(item);
      }
      for (const task of this.perCycle) this.dirty.add(task);
      const due = [...this.dirty].sort(byPriority);
      this.dirty.clear();
      for (const task of due) {
        if (this.phase !== 'running') break;
        const pending = this.consider(task);
        if (pending !== undefined) await pending;
      }
      this.cycles++;
      await this.checkShutdown();
    } finally {
      this.passing = false;
      if (this.phase === 'running') {
        if (this.passAgain || this.dirty.size > 0) this.requestPass();
        this.arm();
      }
    }
  }

  /** Points the one timer at the earliest due instant (capped at {@link MAX_SLEEP}). */
  private arm(): void {
    const now = this.deps.clock.now();
    const target = Math.min(this.wakes.peek(), now + MAX_SLEEP);
    if (this.timer !== undefined && target === this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = target;
    const delay = target - now;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.microPasses = 0;
        this.onTimer();
      },
      Math.max(0, delay > 2 * EARLY_TIMER_SLACK ? delay - EARLY_TIMER_SLACK : delay),
    );
  }

  private readonly onTimerBound = (): void => {
    this.onTimer();
  };

  /**
   * The timer fires up to {@link EARLY_TIMER_SLACK} ms early: on a real clock, block until the
   * instant (see {@link FINAL_WAIT}); on an injected or fake clock, which only moves when the test
   * moves it, take event-loop turns (fake timers advance a millisecond per turn).
   */
  private onTimer(): void {
    if (this.phase === 'stopping') {
      // No more starts, but live runs still time out while shutdown waits for them.
      for (const item of this.wakes.popDue(this.deps.clock.now()))
        if (item instanceof RunHandle) this.timeOut(item);
      this.arm();
      return;
    }
    if (this.phase !== 'running') return;
    const { clock } = this.deps;
    const due = this.wakes.peek();
    let gap = due - clock.now();
    if (gap > 0 && gap <= FINAL_WAIT && clock.isReal === true) {
      if (gap > 1) Atomics.wait(SLEEPER, 0, 0, gap - 1);
      while (clock.now() < due) {
        // The last fraction of a millisecond: Date.now() is a vDSO read, no system call.
      }
      gap = 0;
    }
    if (gap > 0 && gap <= FINAL_WAIT) {
      setImmediate(this.onTimerBound);
      return;
    }
    void this.pass();
  }

  /**
   * Decides about one task: terminate on its end condition, start it (a batch, or its condition
   * holds), or note when to look again. Synchronous unless a custom condition or a `main` run
   * has to be awaited, so a pass over many due tasks costs no extra event-loop turns.
   */
  private consider(task: ScheduledTask): Promise<void> | undefined {
    const def = task.definition;
    if (def.onStartup || def.onShutdown) return undefined;
    const runs = this.live.get(task);
    if (runs !== undefined && runs.size > 0 && def.end !== undefined) {
      const end = this.check(def.end, task);
      if (isPromise(end)) return end.then((e) => this.afterEnd(task, e));
      return this.afterEnd(task, end);
    }
    return this.afterEnd(task, undefined);
  }

  private afterEnd(task: ScheduledTask, end: Evaluation | undefined): Promise<void> | undefined {
    const def = task.definition;
    const runs = this.live.get(task);
    if (end?.value === true && runs !== undefined) {
      for (const run of [...runs]) this.terminateRun(task, run, 'its end condition became true');
    }
    const next = end === undefined || end.value ? Infinity : end.next;
    if (runs !== undefined && runs.size > 0 && !def.multilaunch) {
      this.wakes.set(task, next);
      return undefined;
    }
    if (
      (def.execution === 'thread' || def.execution === 'process') &&
      !this.deps.remote.hasRoom(def.execution)
    ) {
      // Looked at again, in priority order with the others, when a worker frees up.
      this.awaitingWorker.add(task);
      this.wakes.set(task, next);
      return undefined;
    }
    if (task.batchCount > 0) return this.startRun(task, task.takeBatch());
    if (task.disabled) {
      this.wakes.set(task, next);
      return undefined;
    }
    const start = this.check(def.start, task);
    if (isPromise(start)) return start.then((s) => this.afterStart(task, s, next));
    return this.afterStart(task, start, next);
  }

  private afterStart(task: ScheduledTask, start: Evaluation, next: number): Promise<void> | undefined {
    if (start.value) return this.startRun(task, this.takeEmissions(task));
    this.wakes.set(task, Math.min(next, start.next));
    return undefined;
  }

  private startRun(task: ScheduledTask, batch: Parameters | undefined): Promise<void> | undefined {
    const run = this.launch(task, batch);
    // Check again after this run started: the end condition, a further batch, multilaunch.
    this.dirty.add(task);
    return task.definition.execution === 'main' ? run.done : undefined;
  }

  /** Checks a condition; one that throws counts as false, is reported, and is tried again soon. */
  private check(condition: Condition, task: ScheduledTask | undefined): Evaluation | Promise<Evaluation> {
    const now = this.deps.clock.now();
    try {
      const result = condition.evaluate(new CheckContext(this, task, now));
      return isPromise(result)
        ? result.catch((error: unknown) => this.conditionFailed(error, task, now))
        : result;
    } catch (error) {
      return this.conditionFailed(error, task, now);
    }
  }

  /** Reports a condition that threw; it counts as false and is checked again soon. */
  private conditionFailed(error: unknown, task: ScheduledTask | undefined, now: number): Evaluation {
    this.deps.emit({
      type: 'conditionFailed',
      ...(task === undefined ? {} : { taskName: task.name }),
      at: new Date(now),
      error,
    });
    return { value: false, next: now + RETRY_FAILED_CONDITION };
  }

  private async checkShutdown(): Promise<void> {
    const condition = this.deps.shutdownWhen();
    if (condition === undefined) return;
    const checked = this.check(condition, undefined);
    const result = isPromise(checked) ? await checked : checked;
    if (result.value) void this.shutdown();
    else this.wakes.set(SHUTDOWN, result.next);
  }

  // ---- runs --------------------------------------------------------------------------------

  private launch(task: ScheduledTask, batch: Parameters | undefined): RunHandle {
    const def = task.definition;
    const run = new RunHandle(task.name, nextRunId(), this.deps.clock.now());
    let runs = this.live.get(task);
    if (runs === undefined) {
      runs = new Set();
      this.live.set(task, runs);
    }
    runs.add(run);
    this.taskOf.set(run, task);
    const scope = new ResolutionScope(this.deps.host, task, task.name, batch, def.parameters, run);
    const settle = (outcome: RunOutcome | undefined): void => {
      if (outcome !== undefined) this.finish(task, run, outcome);
    };
    if (def.target !== undefined && (def.execution === 'thread' || def.execution === 'process')) {
      // It begins (and is recorded) when a worker is free for it.
      void this.deps.remote.run({
        kind: def.execution,
        target: def.target,
        owner: def.owner,
        priority: def.priority,
        injections: def.injections,
        scope,
        run,
        begin: () => {
          this.begin(task, run);
        },
        end: settle,
      });
    } else {
      this.begin(task, run);
      void runInProcess(def.injections, def.owner, def.invoke, scope, () => run.settled).then(settle);
    }
    return run;
  }

  /** Records a run's start and arms its timeout. */
  private begin(task: ScheduledTask, run: RunHandle): void {
    if (run.begun) return;
    run.begun = true;
    const def = task.definition;
    const start = this.deps.clock.now();
    run.start = start;
    const at = new Date(start);
    run.startDate = at;
    this.deps.record({ taskName: task.name, action: 'run', created: at, runId: run.runId, start: at });
    if (this.deps.listening())
      this.deps.emit({ type: 'taskStarted', taskName: task.name, runId: run.runId, at });
    this.touchDependents(task);
    // Timeouts share the scheduler's one timer: no timer per run.
    if (Number.isFinite(def.timeout) && !def.permanent) this.wakes.set(run, start + def.timeout);
  }

  private timeOut(run: RunHandle): void {
    const task = this.taskOf.get(run);
    if (task !== undefined)
      this.terminateRun(task, run, new TaskTimeoutError(task.name, task.definition.timeout));
  }

  private terminateRun(task: ScheduledTask, run: RunHandle, reason: unknown): void {
    if (run.settled) return;
    run.abort(reason);
    this.finish(task, run, { action: 'terminate', error: reason });
  }

  private finish(
    task: ScheduledTask,
    run: RunHandle,
    outcome: RunOutcome | { action: 'terminate'; error: unknown },
  ): void {
    if (run.settled) return;
    // A run terminated while it waited for a worker is recorded as started and terminated at once.
    this.begin(task, run);
    run.settle();
    this.live.get(task)?.delete(run);
    this.taskOf.delete(run);
    this.wakes.set(run, Infinity);
    const end = this.deps.clock.now();
    const at = new Date(end);
    const { runId } = run;
    const taskName = task.name;
    // The start Date of the 'run' record is shared: records are values, never mutated.
    const start = run.startDate ?? new Date(run.start);
    const runtime = end - run.start;
    const listening = this.deps.listening();
    if (outcome.action === 'success') {
      const { returnValue } = outcome;
      this.deps.record({
        taskName,
        action: 'success',
        created: at,
        runId,
        start,
        end: at,
        runtime,
        returnValue,
      });
      this.deps.setReturn(taskName, returnValue);
      if (listening) this.deps.emit({ type: 'taskSucceeded', taskName, runId, at, returnValue });
    } else {
      const { action, error } = outcome;
      this.deps.record({ taskName, action, created: at, runId, start, end: at, runtime, error });
      if (listening) {
        if (action === 'fail') this.deps.emit({ type: 'taskFailed', taskName, runId, at, error });
        else if (action === 'inaction') this.deps.emit({ type: 'taskInacted', taskName, runId, at });
        else this.deps.emit({ type: 'taskTerminated', taskName, runId, at, reason: error });
      }
    }
    this.dirty.add(task);
    this.touchDependents(task);
  }

  private touchDependents(task: ScheduledTask): void {
    for (const other of this.dependents.get(task.name) ?? []) this.dirty.add(other);
    this.requestPass();
  }

  // ---- indexes -----------------------------------------------------------------------------

  /** Records which tasks' conditions read which other tasks, and which count passes. */
  private index(task: ScheduledTask): void {
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
      if (c instanceof SchedulerCyclesCondition) this.perCycle.add(task);
    };
    walkCondition(task.start, visit);
    if (task.end !== undefined) walkCondition(task.end, visit);
  }

  private subscribe(): void {
    for (const task of this.deps.tasks()) this.subscribeTask(task);
  }

  private subscribeTask(task: ScheduledTask): void {
    walkCondition(task.start, (c) => {
      if (!(c instanceof WhenCondition)) return;
      let queues = this.emissions.get(task);
      if (queues === undefined) {
        queues = new Map();
        this.emissions.set(task, queues);
      }
      const queue: unknown[] = queues.get(c) ?? [];
      queues.set(c, queue);
      this.subscriptions.push(
        c.source.subscribe({
          next: (value) => {
            queue.push(value);
            this.wake(task);
          },
          error: (error: unknown) => {
            this.deps.emit({
              type: 'conditionFailed',
              taskName: task.name,
              at: new Date(this.deps.clock.now()),
              error,
            });
          },
        }),
      );
    });
  }

  /** Consumes the oldest emission of each `when` in the task's condition; objects become batch parameters. */
  private takeEmissions(task: ScheduledTask): Parameters | undefined {
    const queues = this.emissions.get(task);
    if (queues === undefined) return undefined;
    let batch: Record<string, unknown> | undefined;
    for (const queue of queues.values()) {
      if (queue.length === 0) continue;
      const value = queue.shift();
      batch ??= {};
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(batch, value);
    }
    return batch;
  }

  // ---- prediction --------------------------------------------------------------------------

  /**
   * The next `count` instants the task's start condition holds, assuming each run succeeds at
   * once. Empty when the condition is not predictable (custom, another task, an observable).
   */
  private simulate(task: ScheduledTask, from: number, count: number): number[] {
    const def = task.definition;
    if (task.disabled || def.onStartup || def.onShutdown || !def.start.predictable) return [];
    const out: number[] = [];
    let overlay: TaskStateView = this.deps.state.get(task.name);
    let t = from;
    for (let step = 0; step < MAX_SIMULATION_STEPS && out.length < count; step++) {
      const result = def.start.evaluate(new CheckContext(this, task, t, overlay));
      if (isPromise(result)) return out;
      if (result.value) {
        if (out.at(-1) === t) break; // true again at the same instant: nothing more to predict
        out.push(t);
        const sequence = {
          ...overlay.sequence,
          run: (overlay.sequence.run ?? 0) + 2,
          success: (overlay.sequence.run ?? 0) + 3,
        };
        overlay = {
          ...overlay,
          status: 'success',
          lastRun: t,
          lastSuccess: t,
          consecutiveFails: 0,
          running: 0,
          sequence,
        };
        continue;
      }
      if (!Number.isFinite(result.next) || result.next <= t) break;
      t = result.next;
    }
    return out;
  }
}
