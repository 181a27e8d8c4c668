import { errorMessage } from '../errors/errorMessage';
import type { StoreFailure } from './StoreFailure';

/** How often one cause of warning is printed, at most. */
const WINDOW_MS = 60_000;

interface Cause {
  /** When this cause was last printed. */
  printedAt: number;
  /** Values skipped for it since, not printed. */
  unprinted: number;
}

/**
 * Warnings about a shared store, rate-limited: values skipped while reading it, and operations on
 * it that failed. One line per cause per minute, the next line counting the ones in between: a
 * store filled with thousands of bad values, or out of memory for a minute, must not flood the
 * output, yet the first of each kind is seen at once with its key or its reason. The last
 * failure is kept for health checks (`app.status`).
 *
 * @example
 * ```ts
 * const warnings = new StoreWarnings('@apogee/redis "billing"');
 * warnings.skip('apogee:{billing}:rec:12', 'a run record', 'is not valid JSON');
 * ```
 */
export class StoreWarnings {
  private readonly causes = new Map<string, Cause>();
  private last: StoreFailure | undefined;

  constructor(
    /** Who reads the store, as messages name it (`@apogee/redis "billing"`). */
    private readonly reader: string,
    private readonly now: () => number = () => Date.now(),
    private readonly emit: (message: string, code: string) => void = (message, code) => {
      process.emitWarning(message, { code });
    },
  ) {}

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

  /** Prints `message` once per `cause` per minute (rate-limited like the others), with `code`. */
  warn(cause: string, message: string, code: string): void {
    this.report(`warn|${cause}`, () => `Apogee: ${this.reader}: ${message}`, code);
  }

  private report(cause: string, message: () => string, code: string): void {
    const now = this.now();
    const known = this.causes.get(cause);
    if (known !== undefined && now - known.printedAt < WINDOW_MS) {
      known.unprinted++;
      return;
    }
    const more =
      known === undefined || known.unprinted === 0
        ? ''
        : ` (${String(known.unprinted)} more like it in the last minute)`;
    this.causes.set(cause, { printedAt: now, unprinted: 0 });
    this.emit(message() + more, code);
  }
}
