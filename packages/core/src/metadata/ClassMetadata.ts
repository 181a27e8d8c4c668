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
  | { readonly kind: 'cond'; readonly name: string; readonly poll?: Duration }
  | { readonly kind: 'param'; readonly name: string; readonly cache?: ProviderCache };

/** Everything decorators recorded about one method. */
export interface MethodMetadata {
  readonly roles: MethodRole[];
  /** Parameter decorators by index; more than one at an index is a misuse. */
  readonly parameters: Map<number, Injection[]>;
}

/** Everything decorators recorded about one class. */
export interface ClassMetadata {
  classTask: TaskDeclaration | undefined;
  readonly methods: Map<string | symbol, MethodMetadata>;
  /** Parameter decorators on the constructor (a misuse: use tsyringe's `@inject`). */
  readonly constructorParameters: Map<number, Injection[]>;
  /** The module that applied the class's first `@Task`, where a worker finds the class. */
  declaredIn: string | undefined;
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

/** Records a method decorator (`@Task`, `@Cond`, `@Param`). */
export function writeMethodRole(prototype: object, key: string | symbol, role: MethodRole): void {
  method(own(prototype.constructor as Ctor), key).roles.push(role);
}

/** Records a parameter decorator; `key` is `undefined` for constructor parameters. */
export function writeParameter(
  target: object,
  key: string | symbol | undefined,
  index: number,
  injection: Injection,
): void {
  const ctor = (key === undefined ? target : target.constructor) as Ctor;
  const meta = own(ctor);
  const map = key === undefined ? meta.constructorParameters : method(meta, key).parameters;
  const list = map.get(index) ?? [];
  list.push(injection);
  map.set(index, list);
}
