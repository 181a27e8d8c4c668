/** What code running inside a task (main or async execution) can learn about its own run. */
export interface CallingRun {
  /** Settles when the run has ended. */
  readonly done: Promise<void>;
  /** What instrumentations watch of it: its code is called inside their context. */
  readonly observation?: { enter<T>(fn: () => T): T } | undefined;
}

/**
 * The run whose code is executing right now, for `main` and `async` runs in this process: set
 * while a task's function runs synchronously (for an async function, up to its first `await`).
 * `app.shutdown()` called there reads it, so that shutdown tasks run after that run ends (as in
 * Rocketry, where `shut_down()` only sets a flag that the loop reads once the calling task has
 * yielded) and not re-entrantly inside the call.
 *
 * Deliberately not an `AsyncLocalStorage`: on Node 20 the first `run()` of any store turns on
 * promise hooks for the whole process, and every promise after that pays for them (a fifth of the
 * CPU of a no-op run, measured in bench §4). Following the run across `await` would be the only
 * gain, and Rocketry itself does not wait for an async task that calls `shut_down()` later on.
 */
export class CallingRunSlot {
  private current: CallingRun | undefined;

  /** Calls `fn` with `run` as the calling run; the previous one is back when it returns or throws. */
  run<T>(run: CallingRun, fn: () => T): T {
    const previous = this.current;
    this.current = run;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }

  /** The run whose code is executing synchronously now, if any. */
  getStore(): CallingRun | undefined {
    return this.current;
  }
}

/** The process's calling-run slot (shared by every app in it, as the call stack is). */
export const callingRun = new CallingRunSlot();
