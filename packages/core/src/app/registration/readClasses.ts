import {
  readClassMetadata,
  type MemberMisuse,
  type MethodMetadata,
  type MethodRole,
} from '../../metadata/ClassMetadata';
import type { TaskOptions } from '../../metadata/TaskOptions';
import type { Injection } from '../../params/Injection';
import type { ProviderCache } from '../../params/ProviderArg';
import type { Duration } from '../../time/Duration';
import type { Constructor } from './Constructor';

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

const DECORATORS =
  '@Arg, @Return, @Env, @Cli, @CurrentTask, @CurrentSession, @ScheduledAt, @Signal, @Progress, @RunLogger or @Inject';

const memberName = (key: string | symbol): string => (typeof key === 'symbol' ? key.toString() : key);

function roleName(role: MethodRole): string {
  return role.kind === 'task' ? '@Task' : role.kind === 'cond' ? '@Cond' : '@Param';
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

/** The message for a decorator on a member it cannot apply to. */
function misuseMessage(ctor: Constructor, misuse: MemberMisuse): string {
  const owner = `${ctor.name}.${memberName(misuse.key)}`;
  const name = memberName(misuse.key);
  if (misuse.index !== undefined)
    return (
      `${misuse.decorator} on parameter #${misuse.index} of static method ${owner}: Apogee calls task, ` +
      `condition and provider methods on the instance it builds, so parameter decorators apply to ` +
      `instance methods only. Make ${name} an instance method.`
    );
  const fix = misuse.member.startsWith('static')
    ? `make ${name} an instance method (drop static)`
    : `make ${name} a method: ${name}(...) { ... }`;
  return (
    `${misuse.decorator} on ${misuse.member} ${owner}: ${misuse.decorator} marks an instance method, ` +
    `which Apogee calls on the instance it builds; ${fix}.`
  );
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
      problems.push(
        `${owner} parameter #${index} has no parameter decorator (in ${role} on class ${ctor.name}). ` +
          `Every parameter of a task, condition or provider method needs exactly one: ${DECORATORS}.` +
          (role === '@Cond'
            ? ' Only the parameters before the first decorated one take cond(name, ...args) values.'
            : ''),
      );
      continue;
    }
    if (list.length > 1) {
      problems.push(
        `${owner} parameter #${index} has ${list.length} parameter decorators (${list.map((i) => i.decorator).join(', ')}); keep exactly one.`,
      );
    }
    injections.push(list[0] as Injection);
  }
  return { injections, leading };
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
      problems.push(`register() takes classes, but got ${String(ctor)}.`);
      continue;
    }
    const meta = readClassMetadata(ctor);
    if (meta === undefined) {
      problems.push(
        `Class ${ctor.name} has no Apogee decorators: mark the class with @Task(...) (it then runs its run() method), or some of its methods with @Task, @Cond or @Param.`,
      );
      continue;
    }
    for (const misuse of meta.misuses) problems.push(misuseMessage(ctor, misuse));
    for (const [index, list] of meta.constructorParameters) {
      problems.push(
        `${list.map((i) => i.decorator).join(', ')} on parameter #${index} of ${ctor.name}'s constructor: parameter decorators apply to task, condition and provider methods. Inject services into constructors with tsyringe's @inject(token), or move the parameter to the method.`,
      );
    }
    if (meta.classTask !== undefined) {
      const runMeta = meta.methods.get('run');
      if (methodOf(ctor, 'run') === undefined) {
        problems.push(
          `@Task on class ${ctor.name}: the class has no run() method to call. Add run(), or put @Task on the method to run instead.`,
        );
      } else if (runMeta !== undefined && runMeta.roles.length > 0) {
        problems.push(
          `${ctor.name}.run has ${runMeta.roles.map(roleName).join(', ')} while class ${ctor.name} has @Task: the class decorator already makes run() the task; remove one.`,
        );
      } else {
        if (meta.classTask.startGivenTwice) {
          problems.push(
            `@Task on class ${ctor.name} got a start condition both as its first argument and as options.start; give it once.`,
          );
        }
        const { injections } = injectionsOf(ctor, 'run', runMeta, '@Task', false, problems);
        out.tasks.push({
          ctor,
          key: 'run',
          owner: `${ctor.name}.run`,
          injections,
          name: meta.classTask.options.name ?? ctor.name,
          options: meta.classTask.options,
        });
      }
    }
    for (const [key, m] of meta.methods) {
      const owner = `${ctor.name}.${memberName(key)}`;
      if (m.roles.length === 0) {
        if (key === 'run' && meta.classTask !== undefined) continue;
        const used = [...m.parameters.values()].flat().map((i) => i.decorator);
        problems.push(
          `${used.join(', ')} on ${owner}, but ${owner} has no @Task, @Cond or @Param: parameter decorators only work on methods those mark. Add one, or remove the parameter decorators.`,
        );
        continue;
      }
      if (m.roles.length > 1) {
        problems.push(
          `${owner} has ${m.roles.map(roleName).join(' and ')}: a method plays one role; split it into separate methods.`,
        );
        continue;
      }
      const role = m.roles[0] as MethodRole;
      if (role.kind === 'task') {
        if (role.declaration.startGivenTwice) {
          problems.push(
            `@Task on ${owner} got a start condition both as its first argument and as options.start; give it once.`,
          );
        }
        const { injections } = injectionsOf(ctor, key, m, '@Task', false, problems);
        out.tasks.push({
          ctor,
          key,
          owner,
          injections,
          name: role.declaration.options.name ?? memberName(key),
          options: role.declaration.options,
        });
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
  }
  return out;
}
