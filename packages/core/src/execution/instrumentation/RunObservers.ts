import type { InstrumentedRunEnd, RunObserver } from './Instrumentation';
import type { RunObservation, WorkerRunContext } from './Instruments';

/**
 * Every instrumentation's observer of one run. A class, so that a watched run costs this object
 * and no closures; an observer that throws is reported through `failed`, never to the run.
 */
export class RunObservers implements RunObservation {
  readonly worker: WorkerRunContext | undefined;

  constructor(
    private readonly taskName: string,
    private readonly observers: readonly RunObserver[],
    /** The `workerModule` of each observer's instrumentation. */
    modules: readonly (string | undefined)[],
    private readonly failed: (taskName: string, error: unknown) => void,
  ) {
    // One context crosses into a worker: the first instrumentation's that carries one.
    for (let i = 0; i < observers.length; i++) {
      const module = modules[i];
      const carrier = observers[i]?.carrier;
      if (module !== undefined && carrier !== undefined) {
        this.worker = { module, carrier };
        break;
      }
    }
  }

  begun(start: number, dueAt: number): void {
    const begin = { start: new Date(start), lateness: Math.max(0, start - dueAt) };
    for (const observer of this.observers)
      try {
        observer.begun?.(begin);
      } catch (error) {
        this.failed(this.taskName, error);
      }
  }

  ended(end: InstrumentedRunEnd): void {
    for (const observer of this.observers)
      try {
        observer.ended(end);
      } catch (error) {
        this.failed(this.taskName, error);
      }
  }

  enter<T>(fn: () => T): T {
    const { observers } = this;
    if (observers.length === 1) {
      const only = observers[0] as RunObserver;
      return only.enter === undefined ? fn() : only.enter(fn);
    }
    return enterEach(observers, 0, fn);
  }
}

/** Calls `fn` inside the context of each observer from `index` on, the first outermost. */
function enterEach<T>(observers: readonly RunObserver[], index: number, fn: () => T): T {
  const observer = observers[index];
  if (observer === undefined) return fn();
  const inner = (): T => enterEach(observers, index + 1, fn);
  return observer.enter === undefined ? inner() : observer.enter(inner);
}
