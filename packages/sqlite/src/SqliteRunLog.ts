import { StoreWarnings } from '@apogee/core/internal';
import type {
  ApogeeLogger,
  Clock,
  Duration,
  OutputLine,
  RunLog,
  RunQuery,
  RunRecord,
  RestoredTask,
} from '@apogee/core';
import { openConnection, type ConnectionOptions } from './Connection';
import { connectionOptions } from './connectionOptions';
import { crashRecords } from './crashRecords';
import { HeldWriter } from './HeldWriter';
import { OpenFile } from './OpenFile';
import { OwnershipUpkeep } from './OwnershipUpkeep';
import { toRecord, type RunRow } from './RunRow';
import { MIGRATIONS } from './migrations';
import { recordsQuery } from './recordsQuery';
import { RetentionDrain } from './RetentionDrain';
import { restoredTasks, withHeld } from './restoredTasks';
import { SqliteRunLogError } from './SqliteRunLogError';
import { wrapSqliteError } from './wrapSqliteError';

/**
 * How much history to keep. Both limits may be set; by default everything is kept. Records past
 * the limits are deleted in steps of at most 500: one step every 100 appends, so a task never
 * holds more than `perTask` + 100 records at any append rate, and a backlog (say, after lowering
 * a limit) drains one step per turn of the event loop.
 */
export interface RetentionOptions {
  /** Drop records older than this. */
  readonly maxAge?: Duration;
  /** Keep at most this many records per task. */
  readonly perTask?: number;
}

/** Options of {@link SqliteRunLog}. */
export interface SqliteRunLogOptions {
  /** How long and how many records to keep; without it, records are kept forever. */
  readonly retention?: RetentionOptions;
  /** Where "now" comes from, for record ages and crash records. Default: `Date.now()`. */
  readonly clock?: Clock;
  /** How long a write waits for another process's lock before failing. Default 250 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * How long the owner of the file may go without renewing its ownership (it renews every
   * quarter of this) before another app may take the file over. On the owner's own host a dead
   * pid is noticed at once; this limit is for other hosts and reused pids. Default `'1 minute'`.
   */
  readonly ownerTimeout?: Duration;
}

/**
 * A run log in an SQLite file (better-sqlite3, WAL mode): every record is kept (within the
 * retention limits), and each task's status, last run times and last return value are restored
 * when the app starts, so `daily` does not run twice in a day across restarts and `Return` keeps
 * working. Start-up reads one row per task and action, however long the history.
 *
 * One running app owns the file: `restore()` (called when `app.run()` starts) takes it, and
 * `release()` or `close()` gives it up. Another app starting on the file meanwhile gets a
 * {@link SqliteRunLogInUseError}; an owner that died (its pid is gone, or it stopped renewing) is
 * taken over. Reading the file, `records()`, needs no ownership.
 *
 * A file that refuses writes (a full disk) costs a warning a minute, not records: they are held
 * in memory and stored in order once it takes writes again. A file deleted or replaced under the
 * running app is noticed within one ownership renewal, reported as an error, and recreated with
 * the state a restart needs (the whole history too, when it was deleted).
 *
 * @example
 * ```ts
 * const app = new App({ log: new SqliteRunLog('.apogee/runs.db', { retention: { maxAge: '30 days' } }) });
 * ```
 */
export class SqliteRunLog implements RunLog {
  private readonly options: ConnectionOptions;
  private readonly warnings: StoreWarnings;
  private readonly file: OpenFile;
  private readonly writer: HeldWriter;
  private readonly upkeep: OwnershipUpkeep;
  private readonly retention: RetentionDrain;

  /** The schema version this release writes. */
  static readonly SCHEMA_VERSION = MIGRATIONS.length;

  constructor(
    /** The database file this log reads and writes. */
    readonly path: string,
    options: SqliteRunLogOptions = {},
  ) {
    this.options = connectionOptions(path, options);
    const clock = this.options.clock;
    this.warnings = new StoreWarnings(`SqliteRunLog "${path}"`, () => clock.now());
    const wrap = (what: string, error: unknown): SqliteRunLogError => this.wrap(what, error);
    this.file = new OpenFile(path, this.options, this.warnings, openConnection(path, this.options));
    this.writer = new HeldWriter(path, this.file, this.warnings, wrap);
    this.upkeep = new OwnershipUpkeep(
      this.file,
      this.writer,
      this.warnings,
      this.options.ownerTimeoutMs,
      wrap,
    );
    this.retention = new RetentionDrain(this.file, this.warnings);
  }

  /**
   * Stores one record with its task's state, in one transaction; every 100th append also runs one
   * step of retention. A record the file refuses (a full disk) is held in memory, with a warning,
   * and stored once it takes writes again. Throws once another process has taken the file over.
   */
  append(record: RunRecord): void {
    this.file.current?.owner.assertNotLost();
    this.writer.store({ kind: 'record', record });
    this.retention.appended();
  }

  /**
   * Stored records, oldest first; see {@link RunQuery} for filters, pages and cursors. A page reads
   * only its own rows, newest first through the index of its filter, however long the history;
   * `before` bounds it by the cursor record's id, so a walk back does not step over an offset.
   */
  records(query: RunQuery = {}): Promise<RunRecord[]> {
    for (const key of ['limit', 'offset'] as const) {
      const value = query[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        return Promise.reject(
          new SqliteRunLogError(
            this.path,
            `records({ ${key} }) must be a whole number of at least 0, got ${String(value)}`,
            `Pass a whole number as ${key}.`,
            value,
          ),
        );
      }
    }
    try {
      const { db, cursors } = this.file.connection('read records');
      const stamp = cursors.stamp();
      // Remembered page ends belong to offset walks; a cursor carries its own bound.
      const byOffset = query.before === undefined;
      const { sql, args, newestFirst } = recordsQuery(
        query,
        byOffset ? cursors.below(query, stamp) : undefined,
      );
      const rows = db.prepare(sql).all(...args) as (RunRow & { id: number })[];
      const oldest = rows.at(-1);
      if (byOffset && newestFirst && oldest !== undefined)
        cursors.remember(query, (query.offset ?? 0) + rows.length, oldest.id, stamp);
      if (newestFirst) rows.reverse();
      return Promise.resolve(rows.map(toRecord));
    } catch (error) {
      return Promise.reject(this.wrap('cannot read records', error));
    }
  }

  /**
   * Takes ownership of the file, records runs left open by a previous process as `crash`, then
   * returns every task's last state: one row per task and action, whatever the length of the
   * history. On a full disk it starts all the same: what it cannot write is held in memory.
   */
  restore(): RestoredTask[] {
    const conn = this.file.connection('restore task state');
    // Before anything is written: a second app must not mark the owner's live runs as crashed.
    const ownerLastSeen = this.upkeep.begin(conn);
    try {
      for (const record of crashRecords(conn.db, this.options.clock.now(), ownerLastSeen))
        this.writer.store({ kind: 'record', record });
      const tasks = restoredTasks(conn.db);
      this.retention.drainSoon();
      this.writer.checkpoint();
      return withHeld(tasks, this.writer.held.records());
    } catch (error) {
      throw this.wrap('cannot restore task state', error);
    }
  }

  /** Stores a task's pause state (`task.disable()` / `task.enable()`); see `RunLog.setDisabled`. */
  setDisabled(taskName: string, disabled: boolean): void {
    this.file.current?.owner.assertNotLost();
    this.writer.store({ kind: 'pause', taskName, disabled });
  }

  /**
   * Stores lines of a run's own output, in one transaction (see `RunLog.appendOutput`); they are
   * deleted with the run's end record. Throws once another process has taken the file over.
   */
  appendOutput(runId: string, taskName: string, lines: readonly OutputLine[]): void {
    this.file.current?.owner.assertNotLost();
    try {
      this.file.connection(`store the output of run ${runId}`).outputs.append(runId, lines);
    } catch (error) {
      throw this.wrap(`cannot store the output of run ${runId} of task "${taskName}"`, error);
    }
  }

  /** The output stored for run `runId`, oldest first (see `RunLog.output`). Needs no ownership. */
  output(runId: string): Promise<OutputLine[]> {
    try {
      return Promise.resolve(this.file.connection(`read the output of run ${runId}`).outputs.read(runId));
    } catch (error) {
      return Promise.reject(this.wrap(`cannot read the output of run ${runId}`, error));
    }
  }

  /** From now on its warnings (retention, ownership, held writes) go to `logger` (see `RunLog.useLogger`). */
  useLogger(logger: ApogeeLogger): void {
    this.warnings.useLogger(logger);
  }

  /** Each task's stored pause state (held ones included); see `RunLog.disabledTasks`. */
  disabledTasks(): Map<string, boolean> {
    try {
      const pauses = this.file.connection('read pause states').pauses.all();
      for (const held of this.writer.held.pauses()) pauses.set(held.taskName, held.disabled);
      return pauses;
    } catch (error) {
      throw this.wrap('cannot read pause states', error);
    }
  }

  /**
   * Applies the retention limits now, in steps of at most 500 records, and returns how many
   * records it removed. Appends and a background drain apply them anyway; call it to force it.
   */
  prune(): number {
    let removed = 0;
    for (let step = this.pruneStep(); step > 0; step = this.pruneStep()) removed += step;
    return removed;
  }

  /**
   * One step of retention: deletes at most 500 records past the limits, in one transaction, and
   * returns how many it deleted (0 once within the limits).
   */
  pruneStep(): number {
    try {
      const conn = this.file.current;
      return conn?.db.open === true ? conn.retention.step() : 0;
    } catch (error) {
      throw this.wrap('cannot apply retention', error);
    }
  }

  /**
   * Gives up the ownership `restore()` took, keeping the file open for reading; the next
   * `restore()` takes it again. The app calls it when it shuts down. It never throws: a file that
   * cannot be written (full, damaged) gets a warning, and its owner row is taken over at the next
   * start since this process is gone by then.
   */
  release(): void {
    this.upkeep.end();
    const conn = this.file.current;
    if (conn === undefined || !conn.db.open) return;
    try {
      this.writer.flushHeld();
      conn.owner.release();
      this.writer.checkpoint();
    } catch (error) {
      conn.owner.forget();
      this.warnings.failed(
        'give up its ownership of the file',
        error,
        'The next start takes the file over, since this process will be gone.',
      );
    }
  }

  /** Gives up ownership and closes the file. */
  close(): void {
    this.file.stopCheck();
    this.release();
    const conn = this.file.current;
    if (conn === undefined || !conn.db.open) return;
    const held = this.writer.held.size;
    if (held > 0)
      process.emitWarning(
        `SqliteRunLog: run log "${this.path}": closed with ${held} writes the file refused; they are lost.`,
        { code: 'APOGEE_SQLITE_HELD_LOST' },
      );
    conn.db.close();
  }

  private wrap(what: string, error: unknown): SqliteRunLogError {
    return wrapSqliteError(this.path, what, error);
  }
}
