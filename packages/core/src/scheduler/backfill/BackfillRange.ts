import { ConfigurationError } from '../../errors/ConfigurationError';

/**
 * What `task.backfill(...)` runs: the instants of `[from, to)`.
 *
 * @example
 * ```ts
 * await app.session.get('nightly').backfill({ from: '2026-03-01T00:00:00Z', to: new Date() });
 * ```
 */
export interface BackfillOptions {
  /** The first instant of the range (included): a Date or an ISO 8601 string. */
  readonly from: Date | string;
  /** The end of the range (excluded), not after now: a Date or an ISO 8601 string. */
  readonly to: Date | string;
  /** Backfill runs under way at once, at least 1. Default 1. Above 1 only with `overlap: 'allow'`. */
  readonly concurrency?: number;
  /**
   * Told how far the backfill has come: once the instants are known, then after each of its runs
   * ends (a progress bar: `started + skipped` of `instants` begun, the rest still to run).
   */
  readonly onProgress?: (report: BackfillReport) => void;
}

/** How a backfill went: counts of the range's instants. */
export interface BackfillReport {
  /** Instants the task's schedule produced in the range. */
  readonly instants: number;
  /** Runs the backfill started (instants without a run of their own). */
  readonly started: number;
  /** Instants that already had a run recorded with that `scheduledAt` (or under way). */
  readonly skipped: number;
  /** Runs it started that failed, were terminated or crashed. */
  readonly failed: number;
}

/** A backfill's range and concurrency, checked. */
export interface BackfillRange {
  readonly from: number;
  readonly to: number;
  readonly concurrency: number;
}

const EXPECTED_DATE = "a Date or an ISO 8601 date such as '2026-03-01T00:00:00Z'";

/**
 * Checks what `task.backfill(options)` was given: two valid dates, `from` before `to`, `to` not
 * after `now` (a backfill fills instants that passed), a whole `concurrency` of at least 1. Each
 * problem is a `ConfigurationError` naming the task and the option.
 */
export function checkBackfillRange(taskName: string, options: BackfillOptions, now: number): BackfillRange {
  const what = (option: string): string => `task.backfill() of task "${taskName}": ${option}`;
  const fields = { taskName };
  // Called from JavaScript or through a cast, with nothing or not an object.
  if (typeof options !== 'object' || (options as unknown) === null)
    throw new ConfigurationError(
      `task.backfill() of task "${taskName}"`,
      options,
      "options { from, to, concurrency? }, e.g. { from: '2026-03-01T00:00:00Z', to: new Date() }",
      fields,
    );
  const from = toInstant(options.from, what('from'), taskName);
  const to = toInstant(options.to, what('to'), taskName);
  if (from >= to)
    throw new ConfigurationError(
      what('from'),
      options.from,
      `an instant before to (${new Date(to).toISOString()}): the range is [from, to)`,
      fields,
    );
  if (to > now)
    throw new ConfigurationError(
      what('to'),
      options.to,
      `an instant not after now (${new Date(now).toISOString()}): a backfill runs instants that passed`,
      fields,
    );
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigurationError(
      what('concurrency'),
      options.concurrency,
      'a whole number of at least 1',
      fields,
    );
  return { from, to, concurrency };
}

function toInstant(value: unknown, what: string, taskName: string): number {
  const instant =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  // An invalid Date would print as null.
  if (Number.isNaN(instant))
    throw new ConfigurationError(what, value instanceof Date ? String(value) : value, EXPECTED_DATE, {
      taskName,
    });
  return instant;
}
