import 'reflect-metadata';
import { Subject, type Observable } from 'rxjs';
import type { DependencyContainer } from 'tsyringe';
import { workerRegistry } from '../execution/remote/workerContext';
import type { RunLog } from '../log/RunLog';
import type { Parameters } from '../params/levels';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import type { Instrumentation } from '../execution/instrumentation/Instrumentation';
import type { AppStatus } from './AppStatus';
import type { AppOptions } from './AppOptions';
import { readAppStatus } from './readAppStatus';
import { AppLifecycle } from './AppLifecycle';
import { AppRegistrar } from './AppRegistrar';
import { assembleApp, type AppParts } from './assembleApp';
import type { Constructor } from './registration/Constructor';
import type {
  TaskFunction,
  FunctionCondOptions,
  FunctionParamOptions,
  FunctionTaskOptions,
} from './registration/FunctionOptions';
import type { RunOptions } from './RunOptions';
import { Session } from './Session';

export type { FunctionCondOptions, FunctionParamOptions, FunctionTaskOptions };
export type { AppOptions } from './AppOptions';
export type { RunOptions } from './RunOptions';

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
  readonly logs: RunLog;
  /** Scheduler events (rxjs). */
  readonly events: Observable<SchedulerEvent>;

  private readonly subject = new Subject<SchedulerEvent>();
  /** The app's parts (see {@link assembleApp}). */
  private readonly parts: AppParts;
  /** Commits registrations and session parameters. */
  private readonly registrar: AppRegistrar;
  /** `run()` and `shutdown()`. */
  private readonly lifecycle: AppLifecycle;

  constructor(options: AppOptions = {}) {
    this.events = this.subject.asObservable();
    const parts = assembleApp(options, this.subject, this);
    this.parts = parts;
    // Added once `this` is whole: an instrumentation's `attach(app)` may read `app.isLeader`.
    if (options.instrumentation !== undefined) parts.instruments.add(options.instrumentation);
    this.container = parts.container;
    this.logs = parts.logs;
    this.session = new Session(parts.sessionState, parts.scheduler);
    this.registrar = new AppRegistrar(parts);
    this.lifecycle = new AppLifecycle(parts, this.registrar);
    if (options.params !== undefined) this.params(options.params);
    if (options.tasks !== undefined) this.register(...options.tasks);
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
    return this.parts.instruments.add(instrumentation);
  }

  /** Whether this process schedules runs now (`options.leadership`); always true without one. */
  get isLeader(): boolean {
    return this.parts.leadership.isLeader;
  }

  /**
   * How this process is doing, for health checks: whether it runs, its loop's last pass, its
   * role in the cluster and since when, and the last failed operation on the shared store.
   */
  get status(): AppStatus {
    return readAppStatus(this.lifecycle.running, this.parts);
  }

  /**
   * Registers classes: `@Task` classes and classes with `@Task`, `@Cond` and `@Param` methods.
   * Every problem is reported at once (see `DecoratorUsageError`); nothing is registered then.
   */
  register(...classes: Constructor[]): this {
    this.registrar.commit(this.parts.registration.classes(classes));
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
    this.registrar.params(values);
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
    const [task] = this.registrar.commit(this.parts.registration.task(options, fn));
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
    this.registrar.commit(this.parts.registration.cond(options, fn));
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
    this.registrar.commit(this.parts.registration.param(options, fn));
    return this;
  }

  /**
   * Starts the scheduler: start-up tasks first, then the loop. Resolves once it has shut down
   * (through `app.shutdown()`, `config.shutdownWhen`, SIGINT or SIGTERM). Every condition that
   * names a task or custom condition that does not exist is reported at once, before anything runs.
   */
  async run(options: RunOptions = {}): Promise<void> {
    return this.lifecycle.run(options);
  }

  /** Stops the scheduler: shutdown tasks run, live runs are waited for (or terminated with `instantShutdown`). */
  shutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }
}
