import type { DependencyContainer } from 'tsyringe';
import type { OutputLine } from '../log/OutputLine';

/**
 * What the arguments produced where a run executes are made from (`@Signal()`, `@Progress()`,
 * `@RunLogger()`, `@Inject(token)`, `@CurrentTask()`): the scheduler's own run for `main` and
 * `async`, the worker's copy of it for `thread`, `process` and `queue`. Each side builds one; the
 * arguments never ask which side they are on.
 */
export interface RunContext {
  /** The task being run or checked; `undefined` for a session-wide condition check. */
  readonly taskName: string | undefined;
  /** Aborted when the run is terminated (timeout, end condition, `terminate()`, shutdown). */
  readonly signal: AbortSignal;
  /** Takes a progress report (checked, then kept or sent back); absent outside a run. */
  readonly report?: (fraction: unknown, message?: unknown) => void;
  /** Takes a line of the run's own output (kept or sent back); absent outside a run. */
  readonly write?: (line: OutputLine) => void;
  /** Where `@Inject(token)` services come from: the app's container on the side the run executes. */
  readonly container: DependencyContainer;
  /** The task object (`@CurrentTask()`); only the scheduler's own process has it. */
  readonly task?: unknown;
}
