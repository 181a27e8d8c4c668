import { Worker } from 'node:worker_threads';
import type { StoreWarnings } from '@apogee/core/internal';
import { problemsOf } from './checkPages';

/** What the worker posts: the rows of `PRAGMA quick_check(5)`, or why it could not run it. */
type Outcome =
  { readonly rows: { quick_check: string }[] } | { readonly error: string; readonly code?: string };

// Plain JavaScript required by absolute path: the thread needs no TypeScript loader (under jest or
// tsx) and takes none of the process's V8 options (a worker refuses --max-old-space-size).
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  // This thread only (Linux keeps a nice value per thread): the scheduler's thread comes first.
  // A platform that refuses it runs the check all the same.
  try { require('node:os').setPriority(19); } catch {}
  const Database = require(workerData.driver);
  db = new Database(workerData.path, { readonly: true, fileMustExist: true, timeout: workerData.timeout });
  parentPort.postMessage({ rows: db.pragma('quick_check(5)') });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message), code: error && error.code });
} finally {
  try { if (db) db.close(); } catch {}
}`;

/**
 * How long after a large file opens its history check starts: after the start-up, whose reads and
 * writes of the file it slowed (the first write of a 1M-record start waited up to 0.2 s for the
 * disk while the check read 146 MB), and soon enough to warn of damage before it matters.
 */
export const HISTORY_CHECK_DELAY_MS = 5_000;

/**
 * The whole-file check (`PRAGMA quick_check`) of a file too large to check while it opens (see
 * `checkPages`), run on a worker thread at the lowest priority with a read-only connection of its
 * own, once the start-up is over, so that it costs the start-up nothing. A WAL file lets it read while the app writes. Damage
 * it finds is reported through the log's warnings (`APOGEE_SQLITE_DAMAGED`) with the fix; the app
 * goes on, as it does when a write meets a damaged page.
 */
export class HistoryCheck {
  private worker: Worker | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set once it reported, or was stopped: a check reports at most once. */
  private settled = false;
  private ended: () => void = () => undefined;
  /** Resolves when the check has ended, having reported (or been stopped). */
  readonly finished = new Promise<void>((resolve) => {
    this.ended = resolve;
  });

  /** Starts the check in `delayMs` (see {@link HISTORY_CHECK_DELAY_MS}). */
  constructor(
    path: string,
    busyTimeoutMs: number,
    private readonly warnings: StoreWarnings,
    delayMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start(path, busyTimeoutMs);
    }, delayMs);
    // A check to come or under way must not keep the process alive, nor outlive the log (`stop`).
    this.timer.unref();
  }

  /** Ends a check to come or under way; it reports nothing then. */
  stop(): void {
    this.settled = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.ended();
    }
    void this.worker?.terminate();
  }

  private start(path: string, busyTimeoutMs: number): void {
    const worker = new Worker(SCRIPT, {
      eval: true,
      execArgv: [],
      workerData: { driver: require.resolve('better-sqlite3'), path, timeout: busyTimeoutMs },
    });
    worker.once('message', (outcome: Outcome) => {
      this.report(outcome);
    });
    worker.once('error', (error) => {
      this.report({ error: error.message });
    });
    worker.once('exit', () => {
      this.worker = undefined;
      this.ended();
    });
    worker.unref();
    this.worker = worker;
  }

  private report(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    if ('rows' in outcome) {
      const problems = problemsOf(outcome.rows);
      if (problems.length > 0) this.damaged(problems.join('; '));
    } else if (
      /malformed|corrupt|not a database/i.test(outcome.error) ||
      outcome.code?.startsWith('SQLITE_CORRUPT')
    ) {
      this.damaged(outcome.error);
    } else {
      this.warnings.failed(
        'check its history for damaged pages (PRAGMA quick_check, on a worker thread)',
        new Error(outcome.error),
        'The next start checks it again.',
      );
    }
  }

  private damaged(problems: string): void {
    this.warnings.notice(
      'damaged',
      `its pages are damaged (PRAGMA quick_check, after the start: ${problems}); records on those pages ` +
        'cannot be read, and writes that touch them fail. Fix: stop the app and move the file aside (its ' +
        'history is lost; `sqlite3 <file> .recover` salvages what is readable) or restore it from a backup; ' +
        'the app then starts on a new file.',
      'APOGEE_SQLITE_DAMAGED',
    );
  }
}
