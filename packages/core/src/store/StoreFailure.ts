/**
 * A shared-store operation that failed (Redis or the database unreachable, out of memory,
 * refusing writes...), as `app.status.lastStoreError` shows it to operators.
 */
export interface StoreFailure {
  /** What was tried, in words: `renew the leader lease`, `store a "run" record of task "report"`. */
  readonly operation: string;
  /** The store's reason, as its driver reported it. */
  readonly message: string;
  /** When it failed. */
  readonly at: Date;
}
