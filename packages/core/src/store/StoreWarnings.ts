import type { ApogeeLogger } from '../logging/ApogeeLogger';
import { FoldedWarnings, type Warning } from '../logging/FoldedWarnings';

/**
 * Warnings about values skipped while reading a shared store, rate-limited by {@link FoldedWarnings}. A store filled with thousands of bad
 * values must not flood the output, yet the first of each kind is seen at once with its key.
 *
 * @example
 * ```ts
 * const warnings = new StoreWarnings('@apogee/redis "billing"');
 * warnings.skip('apogee:{billing}:rec:12', 'a run record', 'is not valid JSON');
 * ```
 */
export class StoreWarnings {
  private readonly folded: FoldedWarnings;

  constructor(
    /** Who reads the store, as messages name it (`@apogee/redis "billing"`). */
    private readonly reader: string,
    now?: () => number,
    emit?: (message: string, code: string) => void,
  ) {
    this.folded = new FoldedWarnings(now, emit);
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

  private report(cause: string, message: () => string, code: string): void {
    this.folded.warn({ code, cause, message });
  }
}
