import type { Condition } from '../../conditions/Condition';
import { parseCondition } from '../../conditions/parse/parseCondition';
import { ProviderArg } from '../../params/ProviderArg';
import type { CustomConditionDefinition } from '../../scheduler/checks/CustomConditionDefinition';
import type { TaskDefinition } from '../../scheduler/task/TaskDefinition';
import { Signature } from '../../params/Signature';
import { toMilliseconds, type Duration } from '../../time/Duration';
import type { AppConfig } from '../AppConfig';
import type { InstanceProvider } from '../instances/InstanceProvider';
import { checkReferences, taskConditionUses, type ConditionUse, type NameLookup } from './checkReferences';
import { checkReturns } from './checkReturns';
import { collectError } from './collectError';
import type { Constructor } from './Constructor';
import { defineTask } from './defineTask';
import type {
  TaskFunction,
  FunctionCondOptions,
  FunctionParamOptions,
  FunctionTaskOptions,
} from './FunctionOptions';
import { functionInjections } from './functionInjections';
import { readClasses } from './readClasses';
import { registrationMessages } from './registrationMessages';
import type { RegistrationProblem } from './RegistrationProblem';
import type { TaskOrigin } from './taskTarget';

/** What registration reads from the app it registers into; it never writes to it. */
export interface RegistrationContext {
  readonly config: AppConfig;
  /** Whether the app can run `queue` tasks (it was given `...bullmq()`). */
  readonly hasQueue: boolean;
  /** Builds the classes whose methods the definitions call. */
  readonly instances: InstanceProvider;
  /** Registered custom conditions. */
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  /** Who declared the registered task called `name` (`Class.method`), if there is one. */
  taskOwner(name: string): string | undefined;
  /** Every registered task name. */
  taskNames(): Iterable<string>;
}

/** A task a registration call would add, and where its code comes from. */
export interface PlannedTask {
  readonly definition: TaskDefinition;
  readonly origin: TaskOrigin;
}

/**
 * What one registration call would add. It is committed only when `problems` is empty, so a
 * failed call leaves nothing behind.
 */
export interface RegistrationPlan {
  readonly tasks: readonly PlannedTask[];
  readonly conds: readonly CustomConditionDefinition[];
  readonly params: readonly ProviderArg[];
  readonly problems: readonly RegistrationProblem[];
}

const DEFAULT_POLL = 1000;
const NO_NAMES: ReadonlySet<string> = new Set();

const usage = (message: string): RegistrationProblem => ({ kind: 'usage', message });
const callFunction =
  (fn: TaskFunction) =>
  (args: unknown[]): unknown =>
    (fn as (...a: unknown[]) => unknown)(...args);

/**
 * The registration pass: turns decorated classes and `app.task` / `app.cond` / `app.param`
 * calls into definitions, and returns them with every problem found (misused decorators,
 * options that do not settle, conditions that do not parse, duplicate names). It only reads
 * the app, through its context; committing a plan is the app's job.
 */
export class Registration {
  /**
   * The last function `task()` registered and its invoker: a loop that registers many tasks with
   * one function (generated tasks) then shares one invoker instead of a closure per task.
   */
  private lastCall: { readonly fn: TaskFunction; readonly invoke: (args: unknown[]) => unknown } | undefined;

  constructor(private readonly context: RegistrationContext) {}

  /** `@Task` classes and classes with `@Task`, `@Cond` and `@Param` methods. */
  classes(classes: readonly Constructor[]): RegistrationPlan {
    const decl = readClasses(classes);
    const problems = decl.problems.map(usage);
    const conds: CustomConditionDefinition[] = [];
    for (const c of decl.conds) {
      if (this.context.customs.has(c.name) || conds.some((other) => other.name === c.name))
        problems.push(usage(registrationMessages.duplicateCondition(`@Cond('${c.name}') on ${c.owner}`)));
      conds.push({
        name: c.name,
        owner: c.owner,
        leading: c.leading,
        required: c.required,
        signature: Signature.compile(c.injections, c.owner, c.leading),
        poll: this.poll(c.poll, `@Cond('${c.name}') poll`, problems),
        ...this.timeLimit(c.timeout, `@Cond('${c.name}') timeout`, problems),
        call: this.callMethod(c.ctor, c.key),
      });
    }
    const customNames = new Set([...this.context.customs.keys(), ...conds.map((c) => c.name)]);
    const tasks = decl.tasks.map((spec) => {
      const origin: TaskOrigin = { kind: 'method', ctor: spec.ctor, key: spec.key };
      const definition = defineTask(
        {
          ...spec,
          signature: Signature.compile(spec.injections, spec.owner),
          invoke: this.callMethod(spec.ctor, spec.key),
          origin,
        },
        this.context.config,
        customNames,
        problems,
        this.context.hasQueue,
      );
      return { definition, origin, declaredBy: spec.owner };
    });
    this.checkDuplicates(tasks, problems);
    const params = decl.params.map(
      (p) =>
        new ProviderArg(
          p.name,
          p.owner,
          Signature.compile(p.injections, p.owner),
          this.callMethod(p.ctor, p.key),
          p.cache,
        ),
    );
    return { tasks, conds, params, problems };
  }

  /** A task without decorators: `fn`'s parameters receive `options.inject` in order. */
  task(options: FunctionTaskOptions, fn: TaskFunction): RegistrationPlan {
    const problems: RegistrationProblem[] = [];
    const declaredBy = `app.task '${options.name}'`;
    const injections = functionInjections(declaredBy, fn, options.inject, 0, problems);
    const origin: TaskOrigin = { kind: 'function', fn };
    const definition = defineTask(
      {
        name: options.name,
        owner: options.name,
        options,
        signature: Signature.compile(injections, options.name),
        invoke: this.invokerOf(fn),
        origin,
      },
      this.context.config,
      // Only a condition string names custom conditions.
      typeof options.start === 'string' || typeof options.end === 'string'
        ? new Set(this.context.customs.keys())
        : NO_NAMES,
      problems,
      this.context.hasQueue,
    );
    const tasks = [{ definition, origin, declaredBy }];
    this.checkDuplicates(tasks, problems);
    return { tasks, conds: [], params: [], problems };
  }

  /** A custom condition without decorators; `fn`'s parameters before the injected ones take `cond(name, ...args)`. */
  cond(options: FunctionCondOptions, fn: TaskFunction): RegistrationPlan {
    const problems: RegistrationProblem[] = [];
    const owner = `app.cond '${options.name}'`;
    const inject = options.inject ?? [];
    const leading = typeof fn === 'function' ? Math.max(0, fn.length - inject.length) : 0;
    const injections = functionInjections(owner, fn, inject, leading, problems);
    if (this.context.customs.has(options.name))
      problems.push(usage(registrationMessages.duplicateCondition(owner)));
    const cond: CustomConditionDefinition = {
      name: options.name,
      owner: options.name,
      leading,
      // fn.length stops at the first parameter with a default, so every leading one it counts is needed.
      required: leading,
      signature: Signature.compile(injections, options.name, leading),
      poll: this.poll(options.poll, `${owner} poll`, problems),
      ...this.timeLimit(options.timeout, `${owner} timeout`, problems),
      call: callFunction(fn),
    };
    return { tasks: [], conds: [cond], params: [], problems };
  }

  /** A session-level parameter provider without decorators. */
  param(options: FunctionParamOptions, fn: TaskFunction): RegistrationPlan {
    const problems: RegistrationProblem[] = [];
    const injections = functionInjections(`app.param '${options.name}'`, fn, options.inject, 0, problems);
    const provider = new ProviderArg(
      options.name,
      options.name,
      Signature.compile(injections, options.name),
      callFunction(fn),
      options.cache,
    );
    return { tasks: [], conds: [], params: [provider], problems };
  }

  /**
   * What the conditions in `uses` refer to that does not exist, counting what is registered
   * and what `plan` would add.
   */
  references(uses: readonly ConditionUse[], plan?: RegistrationPlan): RegistrationProblem[] {
    // Before a run nothing is checked per call (run() checks every task at once): copying the
    // registered names for each of 10,000 app.task() calls made registration quadratic.
    if (uses.length === 0) return [];
    const customs = new Map<string, CustomConditionDefinition>(this.context.customs);
    for (const c of plan?.conds ?? []) customs.set(c.name, c);
    return checkReferences(uses, { tasks: this.knownTasks(plan), customs });
  }

  /**
   * The registered task names and those `plan` would add, looked up where they are kept: most
   * conditions name no task, and copying a million names into a set for them cost a second.
   */
  private knownTasks(plan?: RegistrationPlan): NameLookup {
    const added = new Set((plan?.tasks ?? []).map((t) => t.definition.name));
    const { context } = this;
    return {
      has: (name) => added.has(name) || context.taskOwner(name) !== undefined,
      *[Symbol.iterator]() {
        yield* context.taskNames();
        yield* added;
      },
    };
  }

  /**
   * What `app.run()` checks before the first pass: `shutdownWhen` parsed (a string may name any
   * registered custom condition), what the conditions of `tasks` and of `shutdownWhen` refer to,
   * and the tasks whose return values `@Return` parameters read.
   */
  beforeRun(
    tasks: Iterable<{
      readonly name: string;
      readonly start: Condition;
      readonly end: Condition | undefined;
      readonly definition?: { readonly signature: Signature };
    }>,
    shutdownWhen: Condition | string | undefined,
  ): { readonly shutdownWhen: Condition | undefined; readonly problems: RegistrationProblem[] } {
    const problems: RegistrationProblem[] = [];
    const parsed =
      typeof shutdownWhen === 'string'
        ? collectError(problems, () => parseCondition(shutdownWhen, new Set(this.context.customs.keys())))
        : shutdownWhen;
    const list = [...tasks];
    problems.push(
      ...this.references([...taskConditionUses(list), { condition: parsed, usedBy: 'config.shutdownWhen' }]),
      ...checkReturns(
        [
          // Only a task that takes parameters can read a return value.
          ...list
            .filter((t) => (t.definition?.signature.slots.length ?? 0) > 0)
            .map((t) => ({
              injections: t.definition?.signature.injections ?? [],
              usedBy: `task "${t.name}"`,
            })),
          ...[...this.context.customs.values()].map((c) => ({
            injections: c.signature.injections,
            usedBy: `custom condition "${c.name}"`,
          })),
        ],
        this.knownTasks(),
      ),
    );
    return { shutdownWhen: parsed, problems };
  }

  private checkDuplicates(
    tasks: readonly (PlannedTask & { readonly declaredBy: string })[],
    problems: RegistrationProblem[],
  ): void {
    const [only] = tasks;
    if (tasks.length === 1 && only !== undefined) {
      // One task (app.task): only the registered names can clash with it.
      const first = this.context.taskOwner(only.definition.name);
      if (first !== undefined)
        problems.push({
          kind: 'duplicate',
          message: `"${only.definition.name}": declared by ${first} and by ${only.declaredBy}`,
        });
      return;
    }
    const seen = new Map<string, string>();
    for (const { definition, declaredBy } of tasks) {
      const first = seen.get(definition.name) ?? this.context.taskOwner(definition.name);
      if (first !== undefined)
        problems.push({
          kind: 'duplicate',
          message: `"${definition.name}": declared by ${first} and by ${declaredBy}`,
        });
      else seen.set(definition.name, declaredBy);
    }
  }

  private poll(poll: Duration | undefined, what: string, problems: RegistrationProblem[]): number {
    if (poll === undefined) return DEFAULT_POLL;
    return collectError(problems, () => toMilliseconds(poll, what)) ?? DEFAULT_POLL;
  }

  private timeLimit(
    timeout: Duration | undefined,
    what: string,
    problems: RegistrationProblem[],
  ): { timeout?: number } {
    if (timeout === undefined) return {};
    const ms = collectError(problems, () => toMilliseconds(timeout, what));
    return ms === undefined ? {} : { timeout: ms };
  }

  private invokerOf(fn: TaskFunction): (args: unknown[]) => unknown {
    if (this.lastCall?.fn !== fn) this.lastCall = { fn, invoke: callFunction(fn) };
    return this.lastCall.invoke;
  }

  /** Calls method `key` on the instance the provider gives for `ctor`, at each call. */
  private callMethod(ctor: Constructor, key: string | symbol): (args: unknown[]) => unknown {
    const { instances } = this.context;
    return (args) => {
      const instance = instances.get(ctor) as Record<string | symbol, (...a: unknown[]) => unknown>;
      return (instance[key] as (...a: unknown[]) => unknown).apply(instance, args);
    };
  }
}
