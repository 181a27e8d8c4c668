/** How far a run says it has come (`@Progress()`): a fraction from 0 to 1 and an optional message. */
export interface RunProgress {
  readonly fraction: number;
  readonly message?: string;
}

/**
 * A run under way, as `app.session.liveRuns()` lists it.
 *
 * @example
 * ```ts
 * for (const run of app.session.liveRuns('import')) console.log(run.runId, run.progress?.fraction);
 * ```
 */
export interface LiveRun {
  readonly taskName: string;
  readonly runId: string;
  /** When it began (or was launched, while a thread or process run still waits for a worker). */
  readonly started: Date;
  /** The last progress it reported, if it reported any. */
  readonly progress?: RunProgress;
}
