import { readClassMetadata } from '../../metadata/ClassMetadata';
import type { Execution } from '../../metadata/TaskOptions';
import type { Constructor } from './Constructor';
import { readClasses } from './readClasses';

/** The names a class declares with Apogee's decorators. */
export interface DeclaredNames {
  /** Task names (`@Task` on methods, or on the class). */
  readonly tasks: readonly string[];
  /** The `execution` each task's options give, by task name (`undefined`: the app's default). */
  readonly executions: ReadonlyMap<string, Execution | undefined>;
  /** Custom condition names (`@Cond`). */
  readonly conds: readonly string[];
  /** Session parameter provider names (`@Param`). */
  readonly params: readonly string[];
}

/**
 * What `ctor` declares with `@Task`, `@Cond` and `@Param`, or `undefined` when no Apogee
 * decorator marks it: how an integration that finds classes in its own injector (NestJS) tells
 * which ones to register. Reads metadata only.
 *
 * @example
 * ```ts
 * declaredNames(Reports)?.tasks; // ['daily']
 * ```
 */
export function declaredNames(ctor: Constructor): DeclaredNames | undefined {
  if (readClassMetadata(ctor) === undefined) return undefined;
  const { tasks, conds, params } = readClasses([ctor]);
  return {
    tasks: tasks.map((t) => t.name),
    executions: new Map(tasks.map((t) => [t.name, t.options.execution])),
    conds: conds.map((c) => c.name),
    params: params.map((p) => p.name),
  };
}
