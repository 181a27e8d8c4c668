import 'reflect-metadata';
import { Subject, type Observable } from 'rxjs';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { Condition } from '../conditions/Condition';
import { never } from '../conditions/constants';
import { CustomCondition } from '../conditions/custom/CustomCondition';
import { parseCondition } from '../conditions/parse/parseCondition';
import { DependCondition } from '../conditions/task/DependCondition';
import { RunningCondition } from '../conditions/task/running';
import { StatusCondition } from '../conditions/task/StatusCondition';
import { walkCondition } from '../conditions/walkCondition';
import { ConfigurationError } from '../errors/ConfigurationError';
import { DecoratorUsageError } from '../errors/DecoratorUsageError';
import { DuplicateTaskError } from '../errors/DuplicateTaskError';
import { InstantiationError } from '../errors/InstantiationError';
import { UnknownConditionError } from '../errors/UnknownConditionError';
import { UnknownTaskError } from '../errors/UnknownTaskError';
import { ExecutorByKind } from '../execution/ExecutorByKind';
import { RemoteExecutor } from '../execution/remote/RemoteExecutor';
import type { TaskTarget } from '../execution/remote/protocol';
import { workerRegistry } from '../execution/remote/workerContext';
import { MemoryRunLog } from '../log/MemoryRunLog';
import { readClassMetadata } from '../metadata/ClassMetadata';
import type { RunLog } from '../log/RunLog';
import { TaskStateIndex } from '../log/TaskStateIndex';
import type { TaskOptions } from '../metadata/TaskOptions';
import { toInjection } from '../params/FuncArg';
import type { Injection, InjectionDecorator } from '../params/Injection';
import type { Parameters } from '../params/levels';
import { ProviderArg, type ProviderCache } from '../params/ProviderArg';
import { SessionRefArg } from '../params/SessionRefArg';
import { TaskArg } from '../params/TaskArg';
import type { CustomConditionDefinition } from '../scheduler/CustomConditionDefinition';
import { ScheduledTask } from '../scheduler/ScheduledTask';
import { LogRecorder } from '../scheduler/LogRecorder';
import { Scheduler } from '../scheduler/Scheduler';
import { SubjectEventSink } from '../scheduler/SubjectEventSink';
import type { SchedulerEvent } from '../scheduler/SchedulerEvent';
import type { TaskDefinition } from '../scheduler/TaskDefinition';
import { calendarFor } from '../time/Calendar';
import { systemClock, type Clock } from '../time/Clock';
import { toMilliseconds, type Duration } from '../time/Duration';
import type { AppConfig } from './AppConfig';
import { readClasses, type Constructor } from './readClasses';
import { resolveModule } from './resolveModule';
import { Session } from './Session';

/**
 * Options of `new App(...)`.
 *
 * @example
 * ```ts
 * new App({ params: { env: 'prod' }, config: { timezone: 'UTC' }, tasks: [Jobs] });
 * ```
 */
export interface AppOptions {
  /** Session-level parameters. */
  readonly params?: Parameters;
  readonly config?: AppConfig;
  /** The container classes are built in. Default: a child of tsyringe's root container. */
  readonly container?: DependencyContainer;
  /** Where run records go. Default: a bounded in-memory log. */
  readonly log?: RunLog;
  /** Classes to register, as with `app.register(...)`. */
  readonly tasks?: readonly Constructor[];
  /** Where time comes from. Default: `Date.now()` (which jest's fake timers control). */
  readonly clock?: Clock;
  /** Command-line tokens for `@Cli`. Default: `process.argv`. */
  readonly argv?: readonly string[];
  /** Environment for `@Env`. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Options of the no-decorator `app.task(...)`. */
export type FunctionTaskOptions = TaskOptions & {
  readonly name: string;
  /** What the function's parameters receive, in order. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
};

/** Options of the no-decorator `app.cond(...)`. */
export interface FunctionCondOptions {
  readonly name: string;
  /** What the function's last parameters receive; the ones before take `cond(name, ...args)`. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  readonly poll?: Duration;
}

/** Options of the no-decorator `app.param(...)`. */
export interface FunctionParamOptions {
  readonly name: string;
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  readonly cache?: ProviderCache;
}

/** Options of `app.run(...)`. */
export interface RunOptions {
  /** Shut down gracefully on SIGINT and SIGTERM while running. Default true. */
  readonly handleSignals?: boolean;
}

type AnyFunction = (...args: never[]) => unknown;

/** Where a task's code comes from, for a worker to find it again. */
type TaskOrigin =
  | { readonly kind: 'method'; readonly ctor: Constructor; readonly key: string | symbol }
  | { readonly kind: 'function'; readonly fn: AnyFunction };

const DEFAULT_TIMEOUT = 30 * 60_000;
const NO_PARAMETERS: Parameters = Object.freeze({});
const DEFAULT_POLL = 1000;

/**
 * An Apogee application: its tasks, parameters, container, run log and scheduler.
 *
 * @example
 * ```ts
 * const app = new App();
 * app.task({ name: 'hello', start: every('10 seconds') }, () => console.log('hello'));
 * await app.run();
 * ```
 */
export class App {
  readonly container: DependencyContainer;
  readonly session: Session;
  /** Every run record, oldest first: `await app.logs.records({ taskName: 'x' })`. */
  readonly logs: RunLog;
  /** Scheduler events (rxjs). */
  readonly events: Observable<SchedulerEvent>;

  private readonly config: AppConfig;
  private readonly subject = new Subject<SchedulerEvent>();
  private readonly state = new TaskStateIndex();
  private readonly customs = new Map<string, CustomConditionDefinition>();
  private readonly instances = new Map<Constructor, object>();
  private readonly scheduler: Scheduler;
  private shutdownWhen: Condition | undefined;
  private restored = false;

  constructor(options: AppOptions = {}) {
    this.config = options.config ?? {};
    this.container = options.container ?? rootContainer.createChildContainer();
    this.logs = options.log ?? new MemoryRunLog();
    this.events = this.subject.asObservable();
    this.validateConfig();
    const calendar = calendarFor(this.config.timezone);
    this.session = new Session(
      this.container,
      options.argv ?? process.argv,
      options.env ?? process.env,
      () => this.scheduler,
    );
    this.scheduler = new Scheduler({
      tasks: this.session,
      state: this.state,
      recorder: new LogRecorder(this.state, this.logs, this.session),
      events: new SubjectEventSink(this.subject),
      host: this.session,
      customs: this.customs,
      clock: options.clock ?? systemClock,
      calendar,
      executor: ExecutorByKind.standard({
        ...(this.config.maxThreads === undefined ? {} : { maxThreads: this.config.maxThreads }),
        ...(this.config.maxProcesses === undefined ? {} : { maxProcesses: this.config.maxProcesses }),
        tasks: this.session,
      }),
      instantShutdown: this.config.instantShutdown ?? false,
      preciseTiming: this.config.preciseTiming ?? false,
    });
    if (options.params !== undefined) this.params(options.params);
    if (options.tasks !== undefined) this.register(...options.tasks);
  }

  /**
   * Registers classes: `@Task` classes and classes with `@Task`, `@Cond` and `@Param` methods.
   * Every misuse is reported at once in a `DecoratorUsageError`; nothing is registered then.
   */
  register(...classes: Constructor[]): this {
    const decl = readClasses(classes);
    const problems = [...decl.problems];
    const names = new Set<string>();
    for (const c of decl.conds) {
      if (names.has(c.name) || this.customs.has(c.name))
        problems.push(
          `@Cond('${c.name}') on ${c.owner}: a custom condition with that name is already registered; names must be unique.`,
        );
      names.add(c.name);
    }
    const customNames = new Set([...this.customs.keys(), ...names]);
    const definitions = decl.tasks.map((spec) =>
      this.define(
        spec.name,
        spec.owner,
        spec.options,
        spec.injections,
        (args) => this.callMethod(spec.ctor, spec.key, args),
        { kind: 'method', ctor: spec.ctor, key: spec.key },
        customNames,
        problems,
      ),
    );
    if (problems.length > 0) throw new DecoratorUsageError(problems);
    this.checkDuplicates(
      definitions,
      decl.tasks.map((t) => t.owner),
    );

    for (const c of decl.conds) {
      this.customs.set(c.name, {
        name: c.name,
        owner: c.owner,
        leading: c.leading,
        injections: c.injections,
        poll: c.poll === undefined ? DEFAULT_POLL : toMilliseconds(c.poll, `@Cond('${c.name}') poll`),
        call: (args) => this.callMethod(c.ctor, c.key, args),
      });
    }
    for (const p of decl.params) {
      this.session.sessionParams.set(
        p.name,
        new ProviderArg(
          p.name,
          p.owner,
          p.injections,
          (args) => this.callMethod(p.ctor, p.key, args),
          p.cache,
        ),
      );
    }
    for (const def of definitions) this.add(def);
    // In a worker, tasks of these classes are built through this app's container.
    const registry = workerRegistry();
    if (registry !== undefined)
      for (const spec of decl.tasks) registry.containers.set(spec.ctor, this.container);
    return this;
  }

  /** Sets session-level parameters (plain values or arguments). */
  params(values: Parameters): this {
    for (const [key, value] of Object.entries(values)) this.session.sessionParams.set(key, value);
    return this;
  }

  /**
   * Adds a task without decorators: `fn`'s parameters receive `inject` in order.
   *
   * @example
   * ```ts
   * app.task({ name: 'greet', start: 'every 1 minute', inject: [Arg('who', 'world')] }, (who: string) => `hi ${who}`);
   * ```
   */
  task(options: FunctionTaskOptions, fn: AnyFunction): ScheduledTask {
    const problems: string[] = [];
    const injections = this.injectionsFor(`app.task '${options.name}'`, fn, options.inject, 0, problems);
    const def = this.define(
      options.name,
      options.name,
      options,
      injections,
      (args) => (fn as (...a: unknown[]) => unknown)(...args),
      { kind: 'function', fn },
      new Set(this.customs.keys()),
      problems,
    );
    if (problems.length > 0) throw new DecoratorUsageError(problems);
    this.checkDuplicates([def], [`app.task '${options.name}'`]);
    // In a worker loading this module, this is how the task's function is found.
    workerRegistry()?.functions.set(options.name, { fn, injections, container: this.container });
    const task = this.add(def);
    if (this.scheduler.isRunning) this.validateReferences([task]);
    return task;
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
  cond(options: FunctionCondOptions, fn: AnyFunction): this {
    const problems: string[] = [];
    const inject = options.inject ?? [];
    const leading = Math.max(0, fn.length - inject.length);
    const injections = this.injectionsFor(`app.cond '${options.name}'`, fn, inject, leading, problems);
    if (this.customs.has(options.name))
      problems.push(
        `app.cond '${options.name}': a custom condition with that name is already registered; names must be unique.`,
      );
    if (problems.length > 0) throw new DecoratorUsageError(problems);
    this.customs.set(options.name, {
      name: options.name,
      owner: options.name,
      leading,
      injections,
      poll:
        options.poll === undefined
          ? DEFAULT_POLL
          : toMilliseconds(options.poll, `app.cond '${options.name}' poll`),
      call: (args) => (fn as (...a: unknown[]) => unknown)(...args),
    });
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
  param(options: FunctionParamOptions, fn: AnyFunction): this {
    const problems: string[] = [];
    const injections = this.injectionsFor(`app.param '${options.name}'`, fn, options.inject, 0, problems);
    if (problems.length > 0) throw new DecoratorUsageError(problems);
    const call = (args: unknown[]): unknown => (fn as (...a: unknown[]) => unknown)(...args);
    this.session.sessionParams.set(
      options.name,
      new ProviderArg(options.name, options.name, injections, call, options.cache),
    );
    return this;
  }

  /**
   * Starts the scheduler: start-up tasks first, then the loop. Resolves once it has shut down
   * (through `app.shutdown()`, `config.shutdownWhen`, SIGINT or SIGTERM).
   */
  async run(options: RunOptions = {}): Promise<void> {
    // A worker thread or child process loaded this module for its tasks: the scheduler runs elsewhere.
    if (workerRegistry() !== undefined) return;
    if (!this.restored) {
      // Before the first check: a daily task that ran today must not run again after a restart.
      for (const task of (await this.logs.restore?.()) ?? []) {
        this.state.restore(task);
        if (task.returnValue !== undefined) this.session.setReturn(task.taskName, task.returnValue.value);
      }
      this.restored = true;
    }
    const shutdownWhen = this.config.shutdownWhen;
    this.shutdownWhen =
      typeof shutdownWhen === 'string'
        ? parseCondition(shutdownWhen, new Set(this.customs.keys()))
        : shutdownWhen;
    this.validateReferences(this.session.tasks);
    const onSignal = (): void => {
      void this.shutdown();
    };
    const handleSignals = options.handleSignals ?? true;
    if (handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    try {
      await this.scheduler.start(this.shutdownWhen);
    } finally {
      if (handleSignals) {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    }
  }

  /** Stops the scheduler: shutdown tasks run, live runs are waited for (or terminated with `instantShutdown`). */
  shutdown(): Promise<void> {
    return this.scheduler.shutdown();
  }

  // ---- internals ---------------------------------------------------------------------------

  private add(def: TaskDefinition): ScheduledTask {
    const task = new ScheduledTask(def, this.scheduler, this.session.tasks.length);
    this.session.add(task);
    this.scheduler.added(task);
    return task;
  }

  private instance(ctor: Constructor): object {
    let instance = this.instances.get(ctor);
    if (instance === undefined) {
      try {
        instance = this.container.resolve(ctor as unknown as InjectionToken<object>);
      } catch (error) {
        throw new InstantiationError(ctor.name, error);
      }
      this.instances.set(ctor, instance);
    }
    return instance;
  }

  private callMethod(ctor: Constructor, key: string | symbol, args: unknown[]): unknown {
    const instance = this.instance(ctor) as Record<string | symbol, (...a: unknown[]) => unknown>;
    return (instance[key] as (...a: unknown[]) => unknown).apply(instance, args);
  }

  private injectionsFor(
    owner: string,
    fn: AnyFunction,
    inject: readonly (InjectionDecorator | Injection)[] | undefined,
    leading: number,
    problems: string[],
  ): Injection[] {
    if (typeof fn !== 'function') {
      problems.push(`${owner}: expected a function as the second argument, got ${typeof fn}.`);
      return [];
    }
    const injections = (inject ?? []).map(toInjection);
    for (let i = leading + injections.length; i < fn.length; i++) {
      problems.push(
        `${owner} parameter #${i} has nothing to receive: list what it takes in inject: [...] (Arg('key'), Return('task'), ...).`,
      );
    }
    return injections;
  }

  private condition(
    value: Condition | string | undefined,
    what: string,
    customNames: ReadonlySet<string>,
    problems: string[],
  ): Condition | undefined {
    if (value === undefined || Condition.isCondition(value)) return value;
    if (typeof value === 'string') return parseCondition(value, customNames);
    problems.push(
      `${what}: expected a condition or a condition string, got ${JSON.stringify(value) ?? typeof value}.`,
    );
    return undefined;
  }

  /** Settles a task's options against the app's config; problems are collected, not thrown. */
  private define(
    name: string,
    owner: string,
    options: TaskOptions,
    injections: readonly Injection[],
    invoke: (args: unknown[]) => unknown,
    origin: TaskOrigin,
    customNames: ReadonlySet<string>,
    problems: string[],
  ): TaskDefinition {
    const execution = options.execution ?? this.config.execution ?? 'async';
    if (!['main', 'async', 'thread', 'process'].includes(execution)) {
      problems.push(
        `Task "${name}" (${owner}): execution ${JSON.stringify(execution)} is not one of 'main', 'async', 'thread', 'process'.`,
      );
    }
    const target =
      execution === 'thread' || execution === 'process'
        ? this.target(
            `Task "${name}" (${owner}, execution '${execution}')`,
            name,
            options,
            injections,
            origin,
            problems,
          )
        : undefined;
    const timeout = options.timeout ?? this.config.timeout;
    return {
      name,
      owner,
      start: this.condition(options.start, `Task "${name}" start`, customNames, problems) ?? never,
      end: this.condition(options.end, `Task "${name}" end`, customNames, problems),
      parameters: options.parameters === undefined ? NO_PARAMETERS : { ...options.parameters },
      execution,
      target,
      priority: options.priority ?? 0,
      timeout:
        timeout === undefined
          ? DEFAULT_TIMEOUT
          : timeout === 'never'
            ? Infinity
            : toMilliseconds(timeout, `Task "${name}" timeout`),
      multilaunch: options.multilaunch ?? this.config.multilaunch ?? false,
      onStartup: options.onStartup ?? false,
      onShutdown: options.onShutdown ?? false,
      permanent: options.permanent ?? false,
      disabled: options.disabled ?? false,
      injections,
      invoke,
    };
  }

  /**
   * Where a worker finds a thread or process task: the declaring module (recorded by `@Task`,
   * or `options.module`), then the class member or the function. Problems are collected.
   */
  private target(
    where: string,
    name: string,
    options: TaskOptions,
    injections: readonly Injection[],
    origin: TaskOrigin,
    problems: string[],
  ): TaskTarget | undefined {
    for (const injection of injections) {
      const argument = injection.kind === 'argument' ? injection.argument : undefined;
      if (argument instanceof TaskArg || argument instanceof SessionRefArg)
        problems.push(
          `${where} takes ${injection.decorator}, which cannot cross to a worker: pass the values it needs as parameters, or use execution 'async'.`,
        );
    }
    const declared = origin.kind === 'method' ? readClassMetadata(origin.ctor)?.declaredIn : undefined;
    const given = options.module ?? declared;
    if (given === undefined) {
      problems.push(
        origin.kind === 'function'
          ? `${where} needs module: the file a worker loads to find it. Pass module: __filename (CommonJS) or import.meta.url (ES modules) in the options of app.task(...).`
          : `${where}: the file declaring class ${origin.ctor.name} could not be found. Pass it with @Task({ module: __filename }).`,
      );
      return undefined;
    }
    const module = resolveModule(given);
    if (typeof module !== 'string') {
      problems.push(`${where}: ${module.problem}`);
      return undefined;
    }
    const loadProblem = RemoteExecutor.loadProblem(module);
    if (loadProblem !== undefined) problems.push(`${where}: ${loadProblem}`);
    if (origin.kind === 'function') {
      return { module, taskName: name, ...(origin.fn.name === '' ? {} : { exportName: origin.fn.name }) };
    }
    if (typeof origin.key === 'symbol') {
      problems.push(
        `${where}: a method named by a symbol cannot be found by a worker; give it a string name.`,
      );
      return undefined;
    }
    return { module, taskName: name, className: origin.ctor.name, member: origin.key };
  }

  private checkDuplicates(definitions: readonly TaskDefinition[], owners: readonly string[]): void {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    definitions.forEach((def, i) => {
      const owner = owners[i] ?? def.owner;
      const first = seen.get(def.name) ?? this.session.findTask(def.name)?.definition.owner;
      if (first !== undefined) duplicates.push(`"${def.name}": declared by ${first} and by ${owner}`);
      else seen.set(def.name, owner);
    });
    if (duplicates.length > 0) throw new DuplicateTaskError(duplicates);
  }

  /** Conditions that name tasks or custom conditions must name existing ones. */
  private validateReferences(tasks: readonly ScheduledTask[]): void {
    const check = (condition: Condition | undefined, usedBy: string): void => {
      if (condition === undefined) return;
      walkCondition(condition, (c) => {
        if (c instanceof CustomCondition) {
          const def = this.customs.get(c.name);
          if (def === undefined) throw new UnknownConditionError(c.name, this.customs.keys(), usedBy);
          if (c.args.length > def.leading) {
            throw new ConfigurationError(
              `cond('${c.name}', ...) in ${usedBy}`,
              c.args,
              `at most ${def.leading} bound argument(s): ${def.owner} takes ${def.leading} parameter(s) before its decorated ones`,
            );
          }
        }
        const named =
          c instanceof DependCondition || c instanceof StatusCondition || c instanceof RunningCondition
            ? c.task
            : undefined;
        if (named !== undefined && this.session.findTask(named) === undefined)
          throw new UnknownTaskError(named, this.session.taskNames(), usedBy);
      });
    };
    for (const task of tasks) {
      check(task.start, `the start condition of task "${task.name}"`);
      check(task.end, `the end condition of task "${task.name}"`);
    }
    check(this.shutdownWhen, 'config.shutdownWhen');
  }

  private validateConfig(): void {
    const { execution, maxProcesses, maxThreads } = this.config;
    if (execution !== undefined && !['main', 'async', 'thread', 'process'].includes(execution)) {
      throw new ConfigurationError('config.execution', execution, "'main', 'async', 'thread' or 'process'");
    }
    for (const [key, value] of [
      ['maxProcesses', maxProcesses],
      ['maxThreads', maxThreads],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1))
        throw new ConfigurationError(`config.${key}`, value, 'a whole number of at least 1');
    }
    if (this.config.timeout !== undefined && this.config.timeout !== 'never')
      toMilliseconds(this.config.timeout, 'config.timeout');
  }
}
