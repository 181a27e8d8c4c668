import type { RunHistory } from '../scheduler/backfill/RunHistory';
import { ApogeeError } from '../errors/ApogeeError';
import 'reflect-metadata';
import { Subject, type Observable } from 'rxjs';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Condition } from '../conditions/Condition';
import type { ExecutorByKind } from '../execution/ExecutorByKind';
import { workerRegistry } from '../execution/remote/workerContext';
import { MemoryRunLog } from '../log/MemoryRunLog';
import { withRunOutput, type RunLogWithOutput } from '../log/withRunOutput';
import { TaskStateIndex } from '../log/TaskStateIndex';
import type { Parameters } from '../params/levels';
import type { CustomConditionDefinition } from '../scheduler/checks/CustomConditionDefinition';
import { ScheduledTask } from '../scheduler/task/ScheduledTask';
import { alwaysLeader } from '../scheduler/cluster/Leadership';
import { LogRecorder } from '../scheduler/recording/LogRecorder';
import { Scheduler } from '../scheduler/Scheduler';
import { SubjectEventSink } from '../scheduler/events/SubjectEventSink';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import type { TaskDefinition } from '../scheduler/task/TaskDefinition';
import { calendarFor, type Calendar } from '../time/Calendar';
import { systemClock, type Clock } from '../time/Clock';
import { toMilliseconds } from '../time/Duration';
import type { StoreFailure } from '../store/StoreFailure';
import type { AppConfig, ApogeeWarning } from './AppConfig';
import type { AppStatus } from './AppStatus';
import type { AppOptions } from './AppOptions';
import { buildExecutor } from './buildExecutor';
import { ContainerInstanceProvider } from './instances/ContainerInstanceProvider';
import { followSharedLog } from './followSharedLog';
import { LeadershipGate } from './LeadershipGate';
import { taskConditionUses } from './registration/checkReferences';
import type { Constructor } from './registration/Constructor';
import type {
  TaskFunction,
  FunctionCondOptions,
  FunctionParamOptions,
  FunctionTaskOptions,
} from './registration/FunctionOptions';
import { Registration, type RegistrationPlan } from './registration/Registration';
import { throwProblems } from './registration/registrationError';
import { ParamConditions } from './ParamConditions';
import { Session } from './Session';
import { SessionState } from './SessionState';
import { validateConfig } from './validateConfig';
import { watchUncaughtErrors } from './watchUncaughtErrors';
import { FailurePause } from '../scheduler/launch/FailurePause';
import type { Instrumentation } from '../execution/instrumentation/Instrumentation';
import { Instruments } from '../execution/instrumentation/Instruments';
import { DEFAULT_MIN_RUN_GAP } from '../scheduler/launch/StartPolicy';
import { policyWarnings } from './policyWarnings';
import { StateRestore } from './StateRestore';
import { watchSignals } from './watchSignals';
import { errorText } from '../logging/errorText';
import { AppLog } from '../logging/AppLog';
import { consoleLogger } from '../logging/consoleLogger';
import { levelledLogger } from '../logging/levelledLogger';
import { LoggedEventSink } from '../logging/LoggedEventSink';
import type { EventSink } from '../scheduler/events/EventSink';
import { storeDisabled } from './storeDisabled';
import { RunOutput } from '../output/RunOutput';

export type { FunctionCondOptions, FunctionParamOptions, FunctionTaskOptions };
export type { AppOptions } from './AppOptions';

/** Options of `app.run(...)`. */
export interface RunOptions {
  /** Shut down gracefully on SIGINT and SIGTERM while running. Default true. */
  readonly handleSignals?: boolean;
}

/**
 * An Apogee application: its tasks, parameters, container, run log and scheduler.
 *
 * Registration is a pass ({@link Registration}) that returns every problem of a call; the app
 * throws them as one error and commits nothing, or commits everything.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.task({ name: 'hello', start: every('10 seconds') }, () => console.log('hello'));
 * await app.run();
 * ```
 */
export class App {
  /** The container classes are built in: `options.container`, or a child of tsyringe's root container. */
  readonly container: DependencyContainer;
  /** The app's tasks and last return values, read-only (`app.session`). */
  readonly session: Session;
  /** Every run record, oldest first: `await app.logs.records({ taskName: 'x' })`. */
  readonly logs: RunLogWithOutput;
  /** Scheduler events (rxjs). */
  readonly events: Observable<SchedulerEvent>;

  private readonly config: AppConfig;
  private readonly subject = new Subject<SchedulerEvent>();
  private readonly state = new TaskStateIndex();
  /** The app's calendar (`config.timezone`). */
  private readonly calendar: Calendar;
  private readonly customs = new Map<string, CustomConditionDefinition>();
  private readonly sessionState: SessionState;
  private readonly leadership: LeadershipGate;
  private readonly registration: Registration;
  private readonly scheduler: Scheduler;
  /** Writes records to the log; keeps the last append that failed, for `status`. */
  private readonly recorder: LogRecorder;
  private readonly executor: ExecutorByKind;
  /** Tracing and metrics told of each run (`options.instrumentation`, `instrument()`). */
  private readonly instruments: Instruments;
  private readonly clock: Clock;
  private readonly failurePause: FailurePause;
  /** Apogee's own log lines (`config.logger`). */
  private readonly log: AppLog;
  /** What runs write, bounded and stored with them. */
  private readonly output: RunOutput;
  private readonly minRunGap: number;
  private shutdownWhen: Condition | undefined;
  private readonly paramConditions = new ParamConditions(this.customs);
  private readonly restorer: StateRestore;
  /** From app.run() until its scheduler has stopped and the run log is released. */
  private running = false;
  /** `shutdown()` came while `run()` was still restoring the log: the scheduler must not start. */
  private stopBeforeStart = false;
  /** Settles when the current `run()` has finished (what an early `shutdown()` waits for). */
  private runFinished: Promise<void> = Promise.resolve();

  constructor(options: AppOptions = {}) {
    this.config = options.config ?? {};
    this.container = options.container ?? rootContainer.createChildContainer();
    const log = options.log ?? new MemoryRunLog();
    this.events = this.subject.asObservable();
    validateConfig(this.config);
    this.clock = options.clock ?? systemClock;
    this.log = new AppLog(
      levelledLogger(this.config.logger ?? consoleLogger, this.config.logLevel ?? 'info'),
      options.leadership !== undefined,
      () => this.clock.now(),
    );
    this.logs = withRunOutput(log, this.log.warn);
    // A store shared with other parts (a Redis node) warns through this app's logger from now on.
    this.logs.useLogger?.(this.log.logger);
    const events = new LoggedEventSink(new SubjectEventSink(this.subject), this.log);
    this.leadership = new LeadershipGate(
      options.leadership ?? alwaysLeader,
      events,
      this.clock,
      this.log.warn,
    );
    this.calendar = calendarFor(this.config.timezone);
    this.output = new RunOutput({
      log: this.logs,
      events,
      warn: this.log.warn,
      ...(this.config.runOutput === undefined ? {} : { limits: this.config.runOutput }),
    });
    this.failurePause = new FailurePause(this.state, events, this.clock);
    this.minRunGap =
      this.config.minRunGap === undefined
        ? DEFAULT_MIN_RUN_GAP
        : toMilliseconds(this.config.minRunGap, 'config.minRunGap');
    this.sessionState = new SessionState(
      this.container,
      options.argv ?? process.argv,
      options.env ?? process.env,
    );
    this.executor = buildExecutor(this.config, this.sessionState, options.queue, {
      container: this.container,
      // The gate, not the lease itself: runs are adopted once the state is restored.
      leadership: options.leadership === undefined ? undefined : this.leadership,
      fence: options.fence,
      logger: this.log.logger,
    });
    this.restorer = new StateRestore({
      logs: this.logs,
      state: this.state,
      session: this.sessionState,
      live: this.executor,
      calendar: this.calendar,
      clock: this.clock,
      timezone: this.config.timezone,
    });
    this.recorder = new LogRecorder(this.state, this.logs, this.sessionState);
    this.recorder.warnings.useLogger(this.log.logger);
    this.instruments = new Instruments(
      this,
      (taskName, message) => {
        this.warnSetup({ code: 'APOGEE_INSTRUMENTATION', taskName, message });
      },
      options.queue?.messaging,
    );
    if (options.instrumentation !== undefined) this.instruments.add(options.instrumentation);
    this.scheduler = this.buildScheduler(options, events);
    this.session = new Session(this.sessionState, this.scheduler);
    const instances = options.instances ?? new ContainerInstanceProvider(this.container);
    this.registration = new Registration({
      config: this.config,
      hasQueue: options.queue !== undefined,
      instances,
      customs: this.customs,
      taskOwner: (name) => this.sessionState.findTask(name)?.definition.owner,
      taskNames: () => this.sessionState.taskNames(),
    });
    if (options.params !== undefined) this.params(options.params);
    if (options.tasks !== undefined) this.register(...options.tasks);
  }

  /** The scheduler and the ports it reaches the app's parts through. */
  private buildScheduler(options: AppOptions, events: EventSink): Scheduler {
    return new Scheduler({
      tasks: this.sessionState,
      state: this.state,
      recorder: this.recorder,
      events,
      host: this.sessionState,
      customs: this.customs,
      clock: this.clock,
      calendar: this.calendar,
      executor: this.executor,
      instantShutdown: this.config.instantShutdown ?? false,
      preciseTiming: this.config.preciseTiming ?? false,
      ...(this.config.conditionTimeout === undefined
        ? {}
        : { conditionTimeout: toMilliseconds(this.config.conditionTimeout, 'config.conditionTimeout') }),
      leadership: this.leadership,
      minRunGap: this.minRunGap,
      ...(options.random === undefined ? {} : { random: options.random }),
      runEnded: (task, action, run, error) => {
        this.log.runEnded(task.name, run.runId, action, error);
        this.failurePause.ended(task, action);
      },
      disabledChanged: (task, disabled) => {
        if (!disabled) this.failurePause.enabled(task.name);
        storeDisabled(this.logs, task.name, disabled, this.log.warn);
      },
      output: this.output,
      warn: this.log.warn,
      history: this.runHistory(),
      ...(options.fence === undefined ? {} : { fence: options.fence }),
      instruments: this.instruments,
      ...(options.relay === undefined ? {} : { relay: options.relay }),
    });
  }

  /** What a backfill reads of past runs: the log, new records as they come, and how much it keeps. */
  private runHistory(): RunHistory {
    return {
      records: (query) => this.logs.records(query),
      listen: (l) => this.state.listen(l),
      ...(this.logs instanceof MemoryRunLog ? { recordsPerTask: this.logs.perTask } : {}),
      warn: (warning) => {
        this.warnSetup(warning);
      },
    };
  }

  /**
   * Adds an instrumentation (tracing, metrics) told of every run that begins from now on; the
   * returned function removes it. `AppOptions.instrumentation` is the one given at construction.
   *
   * @example
   * ```ts
   * const stop = app.instrument({ runStarted: (run) => ({ ended: (end) => console.log(run.taskName, end.action) }) });
   * ```
   */
  instrument(instrumentation: Instrumentation): () => void {
    return this.instruments.add(instrumentation);
  }

  /** Whether this process schedules runs now (`options.leadership`); always true without one. */
  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  /**
   * How this process is doing, for health checks: whether it runs, its loop's last pass, its
   * role in the cluster and since when, and the last failed operation on the shared store.
   */
  get status(): AppStatus {
    const lastPassAt = this.scheduler.lastPassAt;
    const failures = [
      this.leadership.lastStoreError,
      this.logs.lastStoreError,
      this.recorder.warnings.lastFailure,
    ].filter((f): f is StoreFailure => f !== undefined);
    const lastStoreError = failures.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    return {
      running: this.running,
      ...(lastPassAt === undefined ? {} : { lastPassAt: new Date(lastPassAt) }),
      role: this.leadership.isSingle ? 'single' : this.leadership.isLeader ? 'leader' : 'standby',
      since: new Date(this.leadership.since),
      ...(lastStoreError === undefined ? {} : { lastStoreError }),
    };
  }

  /**
   * Registers classes: `@Task` classes and classes with `@Task`, `@Cond` and `@Param` methods.
   * Every problem is reported at once (see `DecoratorUsageError`); nothing is registered then.
   */
  register(...classes: Constructor[]): this {
    this.commit(this.registration.classes(classes));
    // In a worker, tasks of these classes are built through this app's container.
    const registry = workerRegistry();
    if (registry !== undefined) for (const ctor of classes) registry.containers.set(ctor, this.container);
    return this;
  }

  /**
   * Sets session-level parameters (plain values or arguments). A value a task reads through
   * `fromParam(key)` is checked first: one that does not parse throws and nothing is set.
   */
  params(values: Parameters): this {
    const changed = this.paramConditions.beforeSet(values, this.sessionState.tasks);
    for (const [key, value] of Object.entries(values)) this.sessionState.sessionParams.set(key, value);
    for (const task of changed) this.scheduler.wake(task);
    this.warnAbout(changed);
    return this;
  }

  /**
   * Adds a task without decorators: `fn`'s parameters receive `inject` in order. Every problem
   * is reported at once; nothing is added then.
   *
   * @example
   * ```ts
   * app.task({ name: 'greet', start: 'every 1 minute', inject: [Arg('who', 'world')] }, (who: string) => `hi ${who}`);
   * ```
   */
  task(options: FunctionTaskOptions, fn: TaskFunction): ScheduledTask {
    const [task] = this.commit(this.registration.task(options, fn));
    // In a worker loading this module, this is how the task's function is found.
    workerRegistry()?.functions.set(options.name, {
      fn,
      signature: (task as ScheduledTask).definition.signature,
      container: this.container,
    });
    return task as ScheduledTask;
  }

  /**
   * Adds a custom condition without decorators. The parameters before the injected ones take
   * the arguments of `cond(name, ...args)`.
   *
   * @example
   * ```ts
   * app.cond({ name: 'is weekend' }, () => [0, 6].includes(new Date().getDay()));
   * ```
   */
  cond(options: FunctionCondOptions, fn: TaskFunction): this {
    this.commit(this.registration.cond(options, fn));
    return this;
  }

  /**
   * Adds a session-level parameter provider without decorators.
   *
   * @example
   * ```ts
   * app.param({ name: 'now' }, () => new Date());
   * ```
   */
  param(options: FunctionParamOptions, fn: TaskFunction): this {
    this.commit(this.registration.param(options, fn));
    return this;
  }

  /**
   * Starts the scheduler: start-up tasks first, then the loop. Resolves once it has shut down
   * (through `app.shutdown()`, `config.shutdownWhen`, SIGINT or SIGTERM). Every condition that
   * names a task or custom condition that does not exist is reported at once, before anything runs.
   */
  async run(options: RunOptions = {}): Promise<void> {
    // A worker thread or child process loaded this module for its tasks: the scheduler runs elsewhere.
    if (workerRegistry() !== undefined) return;
    if (this.running)
      throw new ApogeeError(
        'SCHEDULER_STATE',
        'The scheduler is already running: app.run() was called twice. Await the first run, or call app.shutdown() first.',
      );
    this.running = true;
    this.stopBeforeStart = false;
    let finished: () => void = () => undefined;
    this.runFinished = new Promise((resolve) => {
      finished = resolve;
    });
    const stopWatching = this.watchErrors();
    let stopFollowing: (() => void) | undefined;
    let stopSignals: (() => void) | undefined;
    try {
      // Watching first, then restoring: a record another process stores in between is in the
      // restored state or reaches the watch (restore overwrites what the watch folded in).
      stopFollowing = await followSharedLog(this.logs, this.leadership, this.state, this.sessionState);
      // Before the first check: a daily task that ran today must not run again after a restart.
      await this.restorer.restore();
      this.checkBeforeRun();
      if (options.handleSignals ?? true)
        stopSignals = watchSignals(() => {
          void this.shutdown();
        });
      await this.startScheduler();
    } finally {
      stopFollowing?.();
      stopSignals?.();
      stopWatching?.();
      await this.release(finished);
    }
  }

  /** Uncaught errors become `uncaughtError` events, unless `config.uncaughtErrors` is `'exit'`. */
  private watchErrors(): (() => void) | undefined {
    if (this.config.uncaughtErrors === 'exit') return undefined;
    return watchUncaughtErrors((error, origin) => {
      // Unheard, it would vanish: Node would at least have printed it.
      if (!this.subject.observed)
        this.log.logger.error(`Apogee: ${origin}, the scheduler keeps running: ${errorText(error)}`, {
          origin,
          err: error,
        });
      this.subject.next({ type: 'uncaughtError', at: new Date(this.clock.now()), error, origin });
    });
  }

  /** What `run()` refuses to start with: references to nothing, bad schedules in parameters. */
  private checkBeforeRun(): void {
    const checked = this.registration.beforeRun(this.sessionState.tasks, this.config.shutdownWhen);
    throwProblems([
      ...checked.problems,
      ...this.paramConditions.atStart(this.sessionState.tasks, this.sessionState.sessionParams),
    ]);
    this.shutdownWhen = checked.shutdownWhen;
  }

  /** Opens the executor and the leadership and runs the scheduler, unless a shutdown came first. */
  private async startScheduler(): Promise<void> {
    // A queue's worker takes jobs on every instance, leader or not, while the app runs.
    if (!this.stopBeforeStart) await this.executor.open();
    if (!this.stopBeforeStart) {
      await this.leadership.open(this.restorer, true);
      await this.scheduler.start(this.shutdownWhen);
    } else await this.executor.close();
  }

  /** The end of a `run()`: the leadership and the log given back, `finished` settled. */
  private async release(finished: () => void): Promise<void> {
    // What restore() took (SqliteRunLog's ownership of its file) is given back, so another
    // process can run the app now; the next run() restores again.
    try {
      await this.leadership.close();
      // The last lines runs wrote are stored before the log is given up.
      await this.output.flushed();
      await this.logs.release?.();
    } finally {
      this.running = false;
      finished();
    }
  }

  /** Stops the scheduler: shutdown tasks run, live runs are waited for (or terminated with `instantShutdown`). */
  shutdown(): Promise<void> {
    // Between run() and its scheduler's start (the log restores first), stopping the scheduler
    // would be undone by that start: cancel the start instead and wait for run() to return.
    if (this.running && !this.scheduler.isRunning) {
      this.stopBeforeStart = true;
      return this.runFinished;
    }
    return this.scheduler.shutdown();
  }

  /**
   * Adds what `plan` holds, or throws its problems and adds nothing. While the scheduler runs,
   * the new tasks' references are checked first too (before a run, `run()` checks them all).
   */
  private commit(plan: RegistrationPlan): ScheduledTask[] {
    const uses = this.scheduler.isRunning ? taskConditionUses(plan.tasks.map((t) => t.definition)) : [];
    throwProblems([...plan.problems, ...this.registration.references(uses, plan)]);
    for (const cond of plan.conds) this.customs.set(cond.name, cond);
    for (const provider of plan.params) this.sessionState.sessionParams.set(provider.name, provider);
    const added = plan.tasks.map((t) => this.add(t.definition));
    this.warnAbout(added);
    return added;
  }

  private warnAbout(tasks: Iterable<ScheduledTask>): void {
    const lookup = this.paramConditions.lookup(this.sessionState.sessionParams);
    for (const warning of policyWarnings(tasks, this.minRunGap, lookup)) this.warnSetup(warning);
  }

  /** A warning about the app's setup: to `config.onWarning`, else a line through the logger. */
  private warnSetup(warning: ApogeeWarning): void {
    if (this.config.onWarning !== undefined) this.config.onWarning(warning);
    else this.log.warn({ code: warning.code, cause: warning.taskName, message: () => warning.message });
  }

  private add(def: TaskDefinition): ScheduledTask {
    const task = new ScheduledTask(def, this.scheduler, this.sessionState.tasks.length);
    this.sessionState.add(task);
    this.scheduler.added(task);
    return task;
  }
}
