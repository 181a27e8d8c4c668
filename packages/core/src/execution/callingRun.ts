import { AsyncLocalStorage } from 'node:async_hooks';

/** What code running inside a task (main or async execution) can learn about its own run. */
export interface CallingRun {
  /** Settles when the run has ended. */
  readonly done: Promise<void>;
  /** What instrumentations watch of it: its code is called inside their context. */
  readonly observation?: { enter<T>(fn: () => T): T } | undefined;
}

/**
 * The run whose code is executing, for `main` and `async` runs in this process. `app.shutdown()`
 * called from inside a run reads it, so that shutdown tasks run after that run ends (as in
 * Rocketry, where `shut_down()` only sets a flag) and not re-entrantly inside the call.
 */
export const callingRun = new AsyncLocalStorage<CallingRun>();
