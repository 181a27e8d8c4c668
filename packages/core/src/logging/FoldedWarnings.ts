import type { ApogeeLogger } from './ApogeeLogger';

/** How often one cause of warning is printed, at most. */
const WINDOW_MS = 60_000;

/** A warning Apogee prints: what happened, what it does about it, and the fix. */
export interface Warning {
  /** What kind of warning it is (`APOGEE_LOG_WRITE_FAILED`...), also a field of the line. */
  readonly code: string;
  /** Which warnings of this code are "the same cause" and fold together; default: the code alone. */
  readonly cause?: string;
  /** The whole message (built only when printed). */
  readonly message: () => string;
}

interface Cause {
  /** When this cause was last printed. */
  printedAt: number;
  /** Warnings of it since, not printed. */
  unprinted: number;
}

/**
 * Warnings, rate-limited: one line per cause per minute, the next line counting the ones in
 * between. A store failing on every write, or filled with thousands of bad values, must not flood
 * the log, yet the first of each kind is seen at once. Lines go to the app's logger once one is
 * given ({@link FoldedWarnings.useLogger}), else to `process.emitWarning`.
 */
export class FoldedWarnings {
  private readonly causes = new Map<string, Cause>();
  private emit: (message: string, code: string) => void;

  constructor(
    private readonly now: () => number = () => Date.now(),
    emit?: (message: string, code: string) => void,
  ) {
    this.emit =
      emit ??
      ((message, code) => {
        process.emitWarning(message, { code });
      });
  }

  /** From now on lines go to `logger.warn(message, { code })`. */
  useLogger(logger: ApogeeLogger): void {
    this.emit = (message, code) => {
      logger.warn(message, { code });
    };
  }

  /** Prints `warning`, or counts it when its cause was printed less than a minute ago. */
  warn(warning: Warning): void {
    const key = warning.cause === undefined ? warning.code : `${warning.code}|${warning.cause}`;
    const now = this.now();
    const known = this.causes.get(key);
    if (known !== undefined && now - known.printedAt < WINDOW_MS) {
      known.unprinted++;
      return;
    }
    const more =
      known === undefined || known.unprinted === 0
        ? ''
        : ` (${String(known.unprinted)} more like it in the last minute)`;
    this.causes.set(key, { printedAt: now, unprinted: 0 });
    this.emit(warning.message() + more, warning.code);
  }
}

/** Where a warning goes when no app logger is at hand: a Node process warning, not folded. */
export const processWarning = (warning: Warning): void => {
  process.emitWarning(warning.message(), { code: warning.code });
};
