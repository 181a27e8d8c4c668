/**
 * How far the scheduler has come, as `scheduler has run over ...` and `schedulerCycles(...)`
 * conditions read it. The scheduler owns and writes it; condition checks read it.
 */
export interface SchedulerProgress {
  /** When the scheduler last started, ms since the epoch; `undefined` before. */
  startedAt: number | undefined;
  /** Passes completed since it started. */
  cycles: number;
  /** When the last pass ended, ms since the epoch (what `GET /healthz` reports as the loop's pulse). */
  lastPassAt?: number;
}
