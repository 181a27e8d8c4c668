import { errorMessage } from '../../errors/errorMessage';
import type { RunContextCarrier, WorkerContextModule } from './Instrumentation';

/** A run's context as it reaches a worker: the module that enters it and what describes it. */
export interface CarriedContext {
  /** The instrumentation's `workerModule`, imported once per worker. */
  readonly module: string;
  readonly carrier: RunContextCarrier;
}

/**
 * Calls `fn` (a task's body, in a thread, process or queue worker) inside the run's context
 * that `carried` describes, through the `runInContext` of its module, so spans the task opens
 * are children of the run's span. Without a carried context `fn` runs as is. An instrumentation
 * that fails here (module not found, no `runInContext`, a throw before calling `fn`) must not
 * fail the run: `warn` is told and `fn` runs without the context.
 */
export async function runInCarriedContext<T>(
  carried: CarriedContext | undefined,
  load: (module: string) => Promise<Record<string, unknown>>,
  warn: (message: string) => void,
  fn: () => T,
): Promise<T> {
  if (carried === undefined) return fn();
  const problem = (why: string): string =>
    `Apogee: the instrumentation's worker module ${carried.module} ${why}; the run goes on without its trace context. Fix the instrumentation's workerModule.`;
  let enter: WorkerContextModule['runInContext'];
  try {
    const exported = (await load(carried.module)).runInContext;
    if (typeof exported !== 'function') {
      warn(problem('does not export a function runInContext(carrier, fn)'));
      return fn();
    }
    enter = exported as WorkerContextModule['runInContext'];
  } catch (error) {
    warn(problem(`could not be loaded (${errorMessage(error)})`));
    return fn();
  }
  let called = false;
  try {
    return enter(carried.carrier, () => {
      called = true;
      return fn();
    });
  } catch (error) {
    // A throw from the task itself is the run's; one before it was called is the instrumentation's.
    if (called) throw error;
    warn(problem(`failed (${errorMessage(error)})`));
    return fn();
  }
}
