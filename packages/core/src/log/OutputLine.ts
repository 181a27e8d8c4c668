/** How serious a line of run output is (the methods of `@RunLogger()`, and `console.*` in a worker). */
export type OutputLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * One line of a run's own output (API §14): what a task wrote through `@RunLogger()`, or through
 * `console.*` / stdout / stderr while it ran in a thread or process worker. Kept with its run in
 * the run log and emitted as `taskOutput`.
 */
export interface OutputLine {
  /** When the task wrote it (the clock of the process where the run executes). */
  readonly at: Date;
  /** How serious the line is. */
  readonly level: OutputLevel;
  /** The text written. */
  readonly message: string;
  /** Structured fields given with the message; `Private` values are already masked. */
  readonly fields?: Readonly<Record<string, unknown>>;
}
