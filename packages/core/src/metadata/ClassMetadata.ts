import 'reflect-metadata';
import type { Injection } from '../params/Injection';
import type { ProviderCache } from '../params/ProviderArg';
import type { Duration } from '../time/Duration';
import { CLASS_METADATA } from './keys';
import type { TaskOptions } from './TaskOptions';

/** What `@Task(...)` recorded: its arguments as given, so registration can validate them. */
export interface TaskDeclaration {
  readonly options: TaskOptions;
  /** `start` was given both positionally and in the options. */
  readonly startGivenTwice: boolean;
}

/** The role a decorator gave a method. */
export type MethodRole =
  | { readonly kind: 'task'; readonly declaration: TaskDeclaration }
  | { readonly kind: 'cond'; readonly name: string; readonly poll?: Duration; readonly timeout?: Duration }
  | { readonly kind: 'param'; readonly name: string; readonly cache?: ProviderCache };

/** Everything decorators recorded about one method. */
export interface MethodMetadata {
  readonly roles: MethodRole[];
  /** Parameter decorators by index; more than one at an index is a misuse. */
  readonly parameters: Map<number, Injection[]>;
}

/** What kind of class member a decorator landed on, when it is not an instance method. */
export type MisusedMember = 'property' | 'accessor' | 'static method' | 'static property' | 'static accessor';

/**
 * A decorator applied where Apogee cannot honour it (a role decorator on a property, accessor or
 * static member; a parameter decorator on a static method). Recorded rather than thrown so that
 * registration reports it with every other problem.
 */
export interface MemberMisuse {
  /** `@Task`, `@Cond`, `@Param`, or the parameter decorator (`@Arg('x')`). */
  readonly decorator: string;
  readonly key: string | symbol;
  readonly member: MisusedMember;
  /** The parameter position, for a parameter decorator. */
  readonly index?: number;
}

/** Everything decorators recorded about one class. */
export interface ClassMetadata {
  classTask: TaskDeclaration | undefined;
  readonly methods: Map<string | symbol, MethodMetadata>;
  /** Parameter decorators on the constructor (a misuse: use tsyringe's `@inject`). */
  readonly constructorParameters: Map<number, Injection[]>;
  /** The module that applied the class's first `@Task`, where a worker finds the class. */
  declaredIn: string | undefined;
  /** Decorators on members they cannot apply to, in the order they were applied. */
  readonly misuses: MemberMisuse[];
}

type Ctor = abstract new (...args: never[]) => unknown;

function own(ctor: Ctor): ClassMetadata {
  const existing = Reflect.getOwnMetadata(CLASS_METADATA, ctor) as ClassMetadata | undefined;
  if (existing !== undefined) return existing;
  const created: ClassMetadata = {
    classTask: undefined,
    methods: new Map(),
    constructorParameters: new Map(),
    declaredIn: undefined,
    misuses: [],
  };
  Reflect.defineMetadata(CLASS_METADATA, created, ctor);
  return created;
}

function method(meta: ClassMetadata, key: string | symbol): MethodMetadata {
  let m = meta.methods.get(key);
  if (m === undefined) {
    m = { roles: [], parameters: new Map() };
    meta.methods.set(key, m);
  }
  return m;
}

/** The metadata decorators wrote on `ctor` itself, if any. */
export function readClassMetadata(ctor: Ctor): ClassMetadata | undefined {
  return Reflect.getOwnMetadata(CLASS_METADATA, ctor) as ClassMetadata | undefined;
}

/** Records the module that declares `ctor` (the first one recorded wins). */
export function writeDeclaringFile(ctor: Ctor, file: string | undefined): void {
  const meta = own(ctor);
  meta.declaredIn ??= file;
}

/** Records `@Task` on a class. */
export function writeClassTask(ctor: Ctor, declaration: TaskDeclaration): void {
  own(ctor).classTask = declaration;
}

const ROLE_DECORATORS: Record<MethodRole['kind'], string> = { task: '@Task', cond: '@Cond', param: '@Param' };

/**
 * The class a member decorator's `target` belongs to: a static member's target is the class
 * itself, an instance member's is its prototype.
 */
export function classOfTarget(target: object): Ctor {
  return (typeof target === 'function' ? target : target.constructor) as Ctor;
}

/** What a member decorator landed on, from its target and descriptor. */
function memberKind(target: object, descriptor: PropertyDescriptor | undefined): MisusedMember | 'method' {
  const shape =
    descriptor === undefined
      ? 'property'
      : typeof descriptor.value === 'function'
        ? 'method'
        : descriptor.get !== undefined || descriptor.set !== undefined
          ? 'accessor'
          : 'property';
  if (typeof target !== 'function') return shape;
  return `static ${shape}`;
}

/**
 * Records a method decorator (`@Task`, `@Cond`, `@Param`). On anything but an instance method
 * it records a misuse instead, for registration to report: Apogee calls methods on the
 * instance it builds, so a property, accessor or static member would fail on every run.
 */
export function writeMethodRole(
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor | undefined,
  role: MethodRole,
): void {
  const kind = memberKind(target, descriptor);
  const meta = own(classOfTarget(target));
  if (kind === 'method') method(meta, key).roles.push(role);
  else meta.misuses.push({ decorator: ROLE_DECORATORS[role.kind], key, member: kind });
}

/** Records a parameter decorator; `key` is `undefined` for constructor parameters. */
export function writeParameter(
  target: object,
  key: string | symbol | undefined,
  index: number,
  injection: Injection,
): void {
  if (key !== undefined && typeof target === 'function') {
    own(target as Ctor).misuses.push({ decorator: injection.decorator, key, member: 'static method', index });
    return;
  }
  const ctor = (key === undefined ? target : target.constructor) as Ctor;
  const meta = own(ctor);
  const map = key === undefined ? meta.constructorParameters : method(meta, key).parameters;
  const list = map.get(index) ?? [];
  list.push(injection);
  map.set(index, list);
}
