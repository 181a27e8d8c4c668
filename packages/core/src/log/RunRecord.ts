import type { RunAction } from '../conditions/runActions';
import type { Parameters } from '../params/levels';
import type { RunCursor } from './RunCursor';

/**
 * One line of a task's history. A run writes `run` when it starts and one of the other
 * actions when it ends.
 */
export interface RunRecord {
  /** The task the run belongs to. */
  readonly taskName: string;
  /** `run` when the run starts; how it ended otherwise. */
  readonly action: RunAction;
  /** When the record was written. */
  readonly created: Date;
  /** The run's id, shared by its `run` record and its end record. */
  readonly runId: string;
  /** When the run started. */
  readonly start?: Date;
  /**
   * The instant the run was due for (what `@ScheduledAt()` injects), when it is not its start: a
   * `cron` run that began after its slot, a catch-up run, a queued or jittered run, a batch that
   * waited. Absent when the run started the moment it was due.
   */
  readonly scheduledAt?: Date;
  /** When the run ended (end records only). */
  readonly end?: Date;
  /** Milliseconds from start to end. */
  readonly runtime?: number;
  /** Why the run failed or was terminated. */
  readonly error?: unknown;
  /** What a successful run returned. */
  readonly returnValue?: unknown;
  /**
   * The batch parameters the run was started with: `task.run(params)`, an HTTP trigger, the object
   * a `when()` emission carried. On the `run` record and on its end record (the same object, so a
   * page of endings such as `{ action: 'fail' }` shows what each failed run was given). Absent when
   * the run had no batch or an empty one (a plain `task.run()`, a catch-up run). `Private` values
   * stay intact here, where the task reads them; a log that persists the record, and the HTTP API,
   * write them as `*****`.
   */
  readonly parameters?: Parameters;
}

/**
 * A filter and a page for {@link RunLog.records}. Results are always oldest first; a page counts
 * back from the newest matching record, so the first page is the latest history.
 *
 * @example
 * ```ts
 * // The 50 latest failures of "etl", then the 50 before those, each page oldest first.
 * const latest = await app.logs.records({ taskName: 'etl', action: 'fail', limit: 50 });
 * const before = await app.logs.records({ taskName: 'etl', action: 'fail', limit: 50, offset: 50 });
 * // The same page, read from the index below the oldest record of the first page (no offset).
 * const sameBefore = latest[0] && (await app.logs.records({
 *   taskName: 'etl', action: 'fail', limit: 50, before: cursorOf(latest[0]),
 * }));
 * ```
 */
export interface RunQuery {
  /** Only this task's records. */
  readonly taskName?: string;
  /** Only records of this action. */
  readonly action?: RunAction;
  /**
   * At most this many records: the newest `limit` that match (after skipping `offset`), returned
   * oldest first. A whole number of at least 0; by default every matching record.
   */
  readonly limit?: number;
  /**
   * Skip this many of the newest matching records before taking `limit`; pages of size `n` are
   * `offset: 0, n, 2n, ...`. Counted when the call is made, so records written between two calls
   * shift later pages by that many. A whole number of at least 0; default 0.
   */
  readonly offset?: number;
  /**
   * Only records written before this one (the record of `before.runId` with action
   * `before.action`), so the page before one already read is `before: cursorOf(page[0])` with no
   * offset. A log answers it from its index, at the cost of the page alone however deep it is, and
   * records written since do not shift it. `offset` then counts from that record back. When the
   * record is no longer stored (retention dropped it, or it never was), the result is empty: a log
   * drops a task's oldest records first, so what came before it in its task is gone too.
   */
  readonly before?: RunCursor;
}
