/**
 * The abort of a job running on this worker, with its signal made only when asked for (a task's
 * `@Signal()`): most tasks never take one, and an AbortController with its signal per job was the
 * largest cost of the worker's own per job. As `RunHandle.signal` does on the scheduler's side.
 */
export class JobAbort {
  private controller: AbortController | undefined;
  /** The first abort's reason, kept until a signal is asked for (boxed: a reason may be `undefined`). */
  private reason: { readonly value: unknown } | undefined;

  /** Aborted once the job is cancelled, with the first cancel's reason. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason.value);
    }
    return this.controller.signal;
  }

  /** Aborts the job's signal with `reason`; a second abort changes nothing. */
  abort(reason: unknown): void {
    this.reason ??= { value: reason };
    this.controller?.abort(reason);
  }
}
