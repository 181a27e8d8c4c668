import type { DependencyContainer } from 'tsyringe';
import type { Signature } from '../../params/Signature';

type Constructor = abstract new (...args: never[]) => unknown;

/** A task registered with `app.task(...)` while a worker loaded its module. */
export interface RegisteredFunction {
  readonly fn: (...args: never[]) => unknown;
  /** What its parameters receive, as the app that registered it compiled it. */
  readonly signature: Signature;
  /** The container of the app it was registered with, for `Inject(token)`. */
  readonly container: DependencyContainer;
}

/**
 * What a worker learns while it imports a task's module: the classes `@Task` decorated in each
 * file, the container each class was registered with, and the functions given to `app.task`.
 * It lives on `globalThis` under a registered symbol so that every copy of the package loaded
 * in the worker (the worker's own and the one the user's module imports) shares it.
 */
export interface WorkerRegistry {
  readonly classes: Map<string, Map<string, Constructor[]>>;
  readonly containers: Map<Constructor, DependencyContainer>;
  readonly functions: Map<string, RegisteredFunction>;
}

const KEY = Symbol.for('@apogee/core/execution-worker');

/** The registry when this thread or process runs Apogee tasks for a scheduler elsewhere; otherwise `undefined`. */
export function workerRegistry(): WorkerRegistry | undefined {
  return (globalThis as Record<symbol, WorkerRegistry | undefined>)[KEY];
}

/**
 * Marks this thread or process as an execution worker, before any task module loads. From then
 * on `app.run()` returns at once, so a module that starts its app when loaded can declare tasks
 * for a worker without starting a second scheduler there.
 */
export function enterWorkerContext(): WorkerRegistry {
  const registry: WorkerRegistry = { classes: new Map(), containers: new Map(), functions: new Map() };
  (globalThis as Record<symbol, WorkerRegistry | undefined>)[KEY] = registry;
  return registry;
}

/** Notes a `@Task`-decorated class declared in `file` (in a worker only). */
export function noteDeclaredClass(file: string, ctor: Constructor): void {
  const registry = workerRegistry();
  if (registry === undefined) return;
  let byName = registry.classes.get(file);
  if (byName === undefined) {
    byName = new Map();
    registry.classes.set(file, byName);
  }
  const list = byName.get(ctor.name) ?? [];
  if (!list.includes(ctor)) list.push(ctor);
  byName.set(ctor.name, list);
}
