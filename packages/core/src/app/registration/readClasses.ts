import {
  readClassMetadata,
  type ClassMetadata,
  type MethodMetadata,
  type MethodRole,
} from '../../metadata/ClassMetadata';
import type { TaskOptions } from '../../metadata/TaskOptions';
import type { Injection } from '../../params/Injection';
import type { ProviderCache } from '../../params/ProviderArg';
import type { Duration } from '../../time/Duration';
import type { Constructor } from './Constructor';
import { memberName, registrationMessages as say } from './registrationMessages';

/** A decorated method, ready to be bound to its class's instance. */
export interface MethodSpec {
  readonly ctor: Constructor;
  readonly key: string | symbol;
  /** `Class.method`, for messages. */
  readonly owner: string;
  readonly injections: readonly Injection[];
}

/** What a registered class declares. */
export interface ClassDeclarations {
  readonly tasks: (MethodSpec & { readonly name: string; readonly options: TaskOptions })[];
  readonly conds: (MethodSpec & {
    readonly name: string;
    readonly leading: number;
    /** Leading parameters before the first one with a default value. */
    readonly required: number;
    readonly poll?: Duration;
    readonly timeout?: Duration;
  })[];
  readonly params: (MethodSpec & { readonly name: string; readonly cache?: ProviderCache })[];
  /** Every misuse found, each naming decorator, class, member and index. */
  readonly problems: string[];
}

/**
 * The instance method `key` of `ctor`, found through the prototype chain without calling any
 * getter on the way; `undefined` when that member is not a plain method.
 */
function methodOf(ctor: Constructor, key: string | symbol): ((...args: never[]) => unknown) | undefined {
  for (let proto: unknown = ctor.prototype; proto !== null && proto !== Object.prototype;) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor !== undefined)
      return typeof descriptor.value === 'function'
        ? (descriptor.value as (...args: never[]) => unknown)
        : undefined;
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}

/** How many parameters a method declares (decorator metadata when present, else its arity). */
function parameterCount(ctor: Constructor, key: string | symbol): number {
  const types = Reflect.getMetadata('design:paramtypes', ctor.prototype as object, key) as
    unknown[] | undefined;
  return Math.max(types?.length ?? 0, methodOf(ctor, key)?.length ?? 0);
}

/**
 * Checks a method's parameter decorators. `leadingAllowed` lets a `@Cond` method take bound
 * arguments before its first decorated parameter. Returns the injections (after the leading
 * ones) and how many leading parameters there are.
 */
function injectionsOf(
  ctor: Constructor,
  key: string | symbol,
  meta: MethodMetadata | undefined,
  role: string,
  leadingAllowed: boolean,
  problems: string[],
): { injections: Injection[]; leading: number } {
  const owner = `${ctor.name}.${memberName(key)}`;
  const count = Math.max(
    parameterCount(ctor, key),
    ...[...(meta?.parameters.keys() ?? [])].map((i) => i + 1),
  );
  const decorated = [...(meta?.parameters.keys() ?? [])];
  const leading = leadingAllowed ? (decorated.length === 0 ? count : Math.min(...decorated)) : 0;
  const injections: Injection[] = [];
  for (let index = leading; index < count; index++) {
    const list = meta?.parameters.get(index) ?? [];
    if (list.length === 0) {
      problems.push(say.undecoratedParameter(owner, index, role, ctor.name));
      continue;
    }
    if (list.length > 1) {
      const decorators = list.map((i) => i.decorator);
      problems.push(say.manyParameterDecorators(owner, index, decorators));
    }
    injections.push(list[0] as Injection);
  }
  return { injections, leading };
}

type TaskSpec = ClassDeclarations['tasks'][number];

/** The task of method `key` of `ctor` called `name`, with its parameters checked into `problems`. */
function taskSpec(
  ctor: Constructor,
  key: string | symbol,
  meta: MethodMetadata | undefined,
  options: TaskOptions,
  name: string,
  problems: string[],
): TaskSpec {
  const { injections } = injectionsOf(ctor, key, meta, '@Task', false, problems);
  return { ctor, key, owner: `${ctor.name}.${memberName(key)}`, injections, name, options };
}

/** A `@Task` class's `run()` as its task, or the problems that keep it from being one. */
function readClassTask(ctor: Constructor, meta: ClassMetadata, out: ClassDeclarations): void {
  if (meta.classTask === undefined) return;
  const runMeta = meta.methods.get('run');
  if (methodOf(ctor, 'run') === undefined) out.problems.push(say.noRunMethod(ctor.name));
  else if (runMeta !== undefined && runMeta.roles.length > 0)
    out.problems.push(say.runHasRoles(ctor.name, runMeta.roles));
  else {
    const { options, startGivenTwice } = meta.classTask;
    if (startGivenTwice) out.problems.push(say.startGivenTwice(`class ${ctor.name}`));
    out.tasks.push(taskSpec(ctor, 'run', runMeta, options, options.name ?? ctor.name, out.problems));
  }
}

/** One decorated method as a task, custom condition or provider, or the problems it has. */
function readMethod(
  ctor: Constructor,
  key: string | symbol,
  m: MethodMetadata,
  out: ClassDeclarations,
): void {
  const { problems } = out;
  const owner = `${ctor.name}.${memberName(key)}`;
  if (m.roles.length === 0) {
    const used = [...m.parameters.values()].flat().map((i) => i.decorator);
    problems.push(say.parameterDecoratorsWithoutRole(used, owner));
    return;
  }
  if (m.roles.length > 1) {
    problems.push(say.manyRoles(owner, m.roles));
    return;
  }
  const role = m.roles[0] as MethodRole;
  if (role.kind === 'task') {
    const { options, startGivenTwice } = role.declaration;
    if (startGivenTwice) problems.push(say.startGivenTwice(owner));
    out.tasks.push(taskSpec(ctor, key, m, options, options.name ?? memberName(key), problems));
  } else if (role.kind === 'cond') {
    const { injections, leading } = injectionsOf(ctor, key, m, '@Cond', true, problems);
    out.conds.push({
      ctor,
      key,
      owner,
      injections,
      leading,
      required: Math.min(
        leading,
        (ctor.prototype as Record<string | symbol, { length: number } | undefined>)[key]?.length ?? 0,
      ),
      name: role.name,
      ...(role.poll === undefined ? {} : { poll: role.poll }),
      ...(role.timeout === undefined ? {} : { timeout: role.timeout }),
    });
  } else {
    const { injections } = injectionsOf(ctor, key, m, '@Param', false, problems);
    out.params.push({
      ctor,
      key,
      owner,
      injections,
      name: role.name,
      ...(role.cache === undefined ? {} : { cache: role.cache }),
    });
  }
}

/**
 * The explorer: reads what decorators recorded on `classes` (tasks, custom conditions and
 * parameter providers), and every misuse at once (a missing parameter decorator, a parameter
 * decorator on a method no role decorator marks, a constructor parameter decorated with `@Arg`,
 * a role decorator on a property, accessor or static member, ...). Reads metadata only: it
 * neither builds instances nor settles options.
 */
export function readClasses(classes: readonly Constructor[]): ClassDeclarations {
  const out: ClassDeclarations = { tasks: [], conds: [], params: [], problems: [] };
  const { problems } = out;
  for (const ctor of classes) {
    if (typeof ctor !== 'function') {
      problems.push(say.notAClass(ctor));
      continue;
    }
    const meta = readClassMetadata(ctor);
    if (meta === undefined) {
      problems.push(say.noDecorators(ctor.name));
      continue;
    }
    for (const misuse of meta.misuses) problems.push(say.misusedMember(ctor.name, misuse));
    for (const [index, list] of meta.constructorParameters)
      problems.push(
        say.constructorParameter(
          list.map((i) => i.decorator),
          index,
          ctor.name,
        ),
      );
    readClassTask(ctor, meta, out);
    for (const [key, m] of meta.methods) {
      // run() of a @Task class is its task, read above.
      if (key === 'run' && meta.classTask !== undefined && m.roles.length === 0) continue;
      readMethod(ctor, key, m, out);
    }
  }
  return out;
}
