import { errorMessage } from '../errors/errorMessage';
import type { ApogeeLogger } from '../logging/ApogeeLogger';
import { FoldedWarnings, type Warning } from '../logging/FoldedWarnings';
import type { StoreFailure } from './StoreFailure';

/**
 * Warnings about a shared store, rate-limited by {@link FoldedWarnings}: values skipped while
 * reading it, and operations on it that failed. A store filled with thousands of bad values, or out
 * of memory for a minute, must not flood the output, yet the first of each kind is seen at once
 * with its key or its reason. The last failure is kept for health checks (`app.status`).
 *
 * @example
 * ```ts
 * const warnings = new StoreWarnings('@apogee/redis "billing"');
 * warnings.skip('apogee:{billing}:rec:12', 'a run record', 'is not valid JSON');
 * ```
 */
export class StoreWarnings {
  private readonly folded: FoldedWarnings;
  private last: StoreFailure | undefined;
  private readonly now: () => number;

  constructor(
    /** Who reads the store, as messages name it (`@apogee/redis "billing"`). */
    private readonly reader: string,
    now?: () => number,
    emit?: (message: string, code: string) => void,
  ) {
    this.folded = new FoldedWarnings(now, emit);
    this.now = now ?? (() => Date.now());
  }

  /** From now on warnings go to the app's logger (the app calls this through its run log). */
  useLogger(logger: ApogeeLogger): void {
    this.folded.useLogger(logger);
  }

  /** Any other warning about the store (a failed read, a lost connection), folded the same way. */
  warn(warning: Warning): void {
    this.folded.warn(warning);
  }

  /** `key` held a `kind` value (a run record, a relay entry) that `problem` refused: it is skipped. */
  skip(key: string, kind: string, problem: string): void {
    this.report(
      `${kind}|${problem}`,
      () =>
        `Apogee: ${this.reader} skipped ${kind} at ${key}: ${problem}. It was not written by this ` +
        'version of Apogee (by hand, by another program, or damaged); it is ignored.',
      'APOGEE_STORE_INVALID',
    );
  }

  /** `key` held a `kind` value that is well formed but not to be carried out (unsigned, not claimed...). */
  refuse(key: string, kind: string, problem: string): void {
    this.report(
      `refused|${kind}|${problem}`,
      () =>
        `Apogee: ${this.reader} refused ${kind} at ${key}: ${problem}. Nothing was run for it. If ` +
        'another instance wrote it, check that they all register the same tasks and share one `secret`.',
      'APOGEE_STORE_REFUSED',
    );
  }

  /**
   * `operation` on the store failed with `error`: warned (rate-limited per operation and reason)
   * and kept as the last failure. `consequence` says what happens now (`a later campaign tries
   * again`), so the reader knows whether to act. `detail` names this instance of the operation
   * (`store a "run" record of task "report"`) in the line printed, without making each one a
   * cause of its own.
   */
  failed(
    operation: string,
    error: unknown,
    consequence: string,
    options: { readonly detail?: string; readonly code?: string } = {},
  ): void {
    const message = errorMessage(error);
    const what = options.detail ?? operation;
    this.last = { operation: what, message, at: new Date(this.now()) };
    this.report(
      `failed|${operation}|${message}`,
      () => `Apogee: ${this.reader} could not ${what}: ${message}. ${consequence}`,
      options.code ?? 'APOGEE_STORE_FAILED',
    );
  }

  /** The last operation that failed, if any (it stays until another one fails). */
  get lastFailure(): StoreFailure | undefined {
    return this.last;
  }

  /** Prints `message`, prefixed with the reader, once per `cause` per minute, with `code`. */
  notice(cause: string, message: string, code: string): void {
    this.report(`warn|${cause}`, () => `Apogee: ${this.reader}: ${message}`, code);
  }

  private report(cause: string, message: () => string, code: string): void {
    this.folded.warn({ code, cause, message });
  }
}
