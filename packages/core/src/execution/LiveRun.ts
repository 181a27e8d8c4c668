/** How far a run says it has come (`@Progress()`): a fraction from 0 to 1 and an optional message. */
export interface RunProgress {
  /** From 0 (nothing done) to 1 (all done). */
  readonly fraction: number;
  /** What the run is doing, in its own words (`"file 3 of 10"`). */
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
  /** The task it is a run of. */
  readonly taskName: string;
  /** Its id, as in its events and records (what `task.run()` returned for a queued run). */
  readonly runId: string;
  /** When it began (or was launched, while a thread or process run still waits for a worker). */
  readonly started: Date;
  /** The last progress it reported, if it reported any. */
  readonly progress?: RunProgress;
}
