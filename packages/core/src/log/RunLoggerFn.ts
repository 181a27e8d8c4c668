/** One level of a {@link RunLoggerFn}: a message, and structured fields kept with it. */
export type RunLogMethod = (message: string, fields?: Readonly<Record<string, unknown>>) => void;

/**
 * What `@RunLogger()` injects: a logger whose lines are kept with the run (its output), whatever
 * the execution mode. `Private` values in `fields` are stored as `*****`.
 *
 * @example
 * ```ts
 * log.info('loaded', { rows: 120 });
 * ```
 */
export interface RunLoggerFn {
  /** Detail for debugging a run. */
  readonly debug: RunLogMethod;
  /** What the run did (`loaded 120 rows`). */
  readonly info: RunLogMethod;
  /** Something odd the run got past. */
  readonly warn: RunLogMethod;
  /** Something that went wrong in the run (it may still succeed). */
  readonly error: RunLogMethod;
}
