/** How often one cause of warning is printed, at most. */
const WINDOW_MS = 60_000;

interface Cause {
  /** When this cause was last printed. */
  printedAt: number;
  /** Values skipped for it since, not printed. */
  unprinted: number;
}

/**
 * Warnings about values skipped while reading a shared store, rate-limited: one line per cause
 * per minute, the next line counting the ones in between. A store filled with thousands of bad
 * values must not flood the output, yet the first of each kind is seen at once with its key.
 *
 * @example
 * ```ts
 * const warnings = new StoreWarnings('@apogee/redis "billing"');
 * warnings.skip('apogee:{billing}:rec:12', 'a run record', 'is not valid JSON');
 * ```
 */
export class StoreWarnings {
  private readonly causes = new Map<string, Cause>();

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

  /** `key` held a `kind` value without a valid signature: it is refused. */
  refuse(key: string, kind: string, problem: string): void {
    this.report(
      `refused|${kind}|${problem}`,
      () =>
        `Apogee: ${this.reader} refused ${kind} at ${key}: ${problem}. Fix: give every instance the ` +
        "same `secret`; anything else writing there is not Apogee's.",
      'APOGEE_STORE_UNSIGNED',
    );
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
