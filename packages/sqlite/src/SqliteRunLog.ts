import { StoreWarnings, toMilliseconds } from '@apogee/core/internal';
import type { Clock, Duration, RunLog, RunQuery, RunRecord, RestoredTask } from '@apogee/core';
import { openConnection, type Connection, type ConnectionOptions } from './Connection';
import { crashRecords } from './crashRecords';
import { HeldWrites, type HeldWrite } from './HeldWrites';
import type { FileFate } from './FileIdentity';
import { toRecord, type RunRow } from './RunRow';
import { MIGRATIONS } from './migrations';
import { recordsQuery } from './recordsQuery';
import { RETENTION_STEP_EVERY, RETENTION_STEP_SIZE } from './Retention';
import { leaveFile, reopenFile, type LeftFile } from './reopenFile';
import { refusedByDisk } from './refusedByDisk';
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
  private readonly held = new HeldWrites();
  private readonly warnings: StoreWarnings;
  private readonly state: {
    /** The open file; undefined while a deleted or replaced file cannot be recreated yet. */
    conn: Connection | undefined;
    /** The file left, while its state waits to be written into a new one. */
    left: LeftFile | undefined;
    /** Between `restore()` and `release()`: this log owns the file and keeps it up. */
    owning: boolean;
    /** The ownership could not be written at `restore()` (a full disk): each upkeep tries again. */
    ownerUnwritten: boolean;
    /** The upkeep timer (renewal, file check, held writes) while the log owns the file. */
    upkeep: ReturnType<typeof setInterval> | undefined;
    /** Appends since the last retention step they ran: at RETENTION_STEP_EVERY, one more runs. */
    appendsSinceStep: number;
    /** Whether background steps are draining a backlog. */
    draining: boolean;
  };

  /** The schema version this release writes. */
  static readonly SCHEMA_VERSION = MIGRATIONS.length;

  constructor(
    readonly path: string,
    options: SqliteRunLogOptions = {},
  ) {
    const clock = options.clock ?? { now: () => Date.now() };
    const maxAge =
      options.retention?.maxAge === undefined
        ? undefined
        : toMilliseconds(options.retention.maxAge, `SqliteRunLog("${path}") retention.maxAge`);
    const perTask = options.retention?.perTask;
    if (perTask !== undefined && (!Number.isInteger(perTask) || perTask < 1)) {
      throw new SqliteRunLogError(
        path,
        'retention.perTask must be a whole number of at least 1',
        'Fix the option.',
        perTask,
      );
    }
    const ownerTimeoutMs = toMilliseconds(
      options.ownerTimeout ?? '1 minute',
      `SqliteRunLog("${path}") ownerTimeout`,
    );
    this.options = {
      busyTimeoutMs: options.busyTimeoutMs ?? 250,
      ownerTimeoutMs,
      limits: { maxAge, perTask },
      clock,
    };
    this.warnings = new StoreWarnings(`SqliteRunLog "${path}"`, () => clock.now());
    this.state = {
      conn: openConnection(path, this.options),
      left: undefined,
      owning: false,
      ownerUnwritten: false,
      upkeep: undefined,
      appendsSinceStep: 0,
      draining: false,
    };
  }

  /**
   * Stores one record with its task's state, in one transaction; every 100th append also runs one
   * step of retention. A record the file refuses (a full disk) is held in memory, with a warning,
   * and stored once it takes writes again. Throws once another process has taken the file over.
   */
  append(record: RunRecord): void {
    this.state.conn?.owner.assertNotLost();
    this.store({ kind: 'record', record });
    if (++this.state.appendsSinceStep >= RETENTION_STEP_EVERY) {
      this.state.appendsSinceStep = 0;
      // In line, not deferred: a writer in a tight loop never yields, and the cap must hold anyway.
      if (this.retentionStep() === RETENTION_STEP_SIZE) this.drainSoon();
    }
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
      const { db, cursors } = this.connection('read records');
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
    const conn = this.connection('restore task state');
    // Before anything is written: a second app must not mark the owner's live runs as crashed.
    const ownerLastSeen = this.acquire(conn);
    this.state.owning = true;
    this.startUpkeep();
    try {
      for (const record of crashRecords(conn.db, this.options.clock.now(), ownerLastSeen))
        this.store({ kind: 'record', record });
      const tasks = restoredTasks(conn.db);
      this.drainSoon();
      this.checkpoint();
      return withHeld(tasks, this.held.records());
    } catch (error) {
      throw this.wrap('cannot restore task state', error);
    }
  }

  /** Stores a task's pause state (`task.disable()` / `task.enable()`); see `RunLog.setDisabled`. */
  setDisabled(taskName: string, disabled: boolean): void {
    this.state.conn?.owner.assertNotLost();
    this.store({ kind: 'pause', taskName, disabled });
  }

  /** Each task's stored pause state (held ones included); see `RunLog.disabledTasks`. */
  disabledTasks(): Map<string, boolean> {
    try {
      const pauses = this.connection('read pause states').pauses.all();
      for (const held of this.held.pauses()) pauses.set(held.taskName, held.disabled);
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
      const conn = this.state.conn;
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
    this.state.owning = false;
    this.state.ownerUnwritten = false;
    if (this.state.upkeep !== undefined) clearInterval(this.state.upkeep);
    this.state.upkeep = undefined;
    const conn = this.state.conn;
    if (conn === undefined || !conn.db.open) return;
    try {
      this.flushHeld();
      conn.owner.release();
      this.checkpoint();
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
    this.release();
    const conn = this.state.conn;
    if (conn === undefined || !conn.db.open) return;
    if (this.held.size > 0)
      process.emitWarning(
        `SqliteRunLog: run log "${this.path}": closed with ${this.held.size} writes the file refused; they are lost.`,
        { code: 'APOGEE_SQLITE_HELD_LOST' },
      );
    conn.db.close();
  }

  /** The open file, or an error saying it is being recreated. */
  private connection(what: string): Connection {
    const conn = this.state.conn;
    if (conn !== undefined) return conn;
    throw new SqliteRunLogError(
      this.path,
      `cannot ${what}: the file was ${this.state.left?.fate ?? 'lost'} and cannot be recreated yet`,
      'See the earlier warning for the reason; the log retries at each ownership renewal.',
    );
  }

  /**
   * Takes the file's ownership and returns when a replaced owner last renewed it. On a disk that
   * refuses the write the app starts anyway (warned): the upkeep takes the ownership later.
   */
  private acquire(conn: Connection): number | undefined {
    try {
      this.state.ownerUnwritten = false;
      return conn.owner.acquire();
    } catch (error) {
      if (error instanceof SqliteRunLogError) throw error;
      if (!refusedByDisk(error)) throw this.wrap('cannot take ownership of the file', error);
      this.state.ownerUnwritten = true;
      this.warnings.failed(
        'take ownership of the file',
        error,
        'The app starts with its state in memory; the ownership is taken once the file takes writes.',
      );
      return undefined;
    }
  }

  /**
   * Writes `write`, or holds it when the file refuses it (or is being recreated): held writes go
   * first, in order, so the file never gets a later state before an earlier one.
   */
  private store(write: HeldWrite): void {
    if (this.held.size > 0) this.flushHeld();
    const conn = this.state.conn;
    if (this.held.size > 0 || conn === undefined) {
      this.held.hold(write);
      return;
    }
    try {
      apply(conn, write);
    } catch (error) {
      if (!refusedByDisk(error)) throw this.wrap(`cannot ${describe(write)}`, error);
      this.held.hold(write);
      this.warnings.failed(
        'store a record',
        error,
        `Records and pauses are kept in memory (${this.held.size} held) and stored in order once the file ` +
          'takes writes again (free space); the scheduler goes on.',
        { detail: describe(write) },
      );
      // The WAL may hold more than the file needs: giving its space back may be what lets writes in.
      this.checkpoint();
    }
  }

  /** Stores the held writes, if the file takes them now; says so once they are all in. */
  private flushHeld(): void {
    const conn = this.state.conn;
    if (conn === undefined || this.held.size === 0) return;
    try {
      const { stored, dropped } = this.held.flush((write) => {
        apply(conn, write);
      });
      process.emitWarning(
        `SqliteRunLog: run log "${this.path}": the file takes writes again; stored the ${stored} writes held in memory` +
          (dropped > 0 ? ` (${dropped} older ones were dropped past the limit of writes held)` : '') +
          '.',
        { code: 'APOGEE_SQLITE_HELD_STORED' },
      );
    } catch (error) {
      if (!refusedByDisk(error)) throw this.wrap('cannot store the writes held in memory', error);
    }
  }

  /** Copies the WAL into the file and truncates it (to give disk space back); quietly best effort. */
  private checkpoint(): void {
    try {
      this.state.conn?.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy reader or a full disk: the next checkpoint (automatic at 100 pages) does it.
    }
  }

  private startUpkeep(): void {
    if (this.state.upkeep !== undefined) return;
    const every = Math.max(1, Math.floor(this.options.ownerTimeoutMs / 4));
    this.state.upkeep = setInterval(() => {
      this.upkeep();
    }, every);
    this.state.upkeep.unref();
  }

  /**
   * Every quarter of the owner timeout while the log owns the file: notices a deleted or replaced
   * file, renews the ownership (or takes it, after a start on a full disk), stores held writes.
   */
  private upkeep(): void {
    try {
      if (this.state.left !== undefined) this.reopen();
      else this.checkFile();
      const conn = this.state.conn;
      if (conn === undefined) return;
      if (this.state.ownerUnwritten) this.acquire(conn);
      else conn.owner.renew();
      this.flushHeld();
    } catch (error) {
      this.warnings.failed(
        'keep the file up (renew its ownership, store held writes)',
        error,
        'The next renewal tries again, well within the owner timeout.',
      );
    }
  }

  /** Leaves a file that was deleted or replaced under the log, then opens one at its path. */
  private checkFile(): void {
    const conn = this.state.conn;
    if (conn === undefined) return;
    const fate: FileFate = conn.identity.fate();
    if (fate === 'same') return;
    this.state.conn = undefined;
    this.state.left = leaveFile(conn, this.path, fate);
    const left = this.state.left;
    process.emitWarning(
      `SqliteRunLog: run log "${this.path}": the file was ${fate === 'deleted' ? 'deleted' : 'replaced by another file'} ` +
        'while the app ran on it; writes went to a file no restart would read. The log recreates the file at ' +
        (left.copied
          ? 'its path with the whole history (copied from the old file, still open).'
          : `its path with the state a restart needs (each task's last records, state, pause and open runs${left.unreadable === undefined ? '' : `; the old file could not be read: ${left.unreadable}`}).`) +
        ' Find out what removed it: backups or clean-up jobs must leave the file of a running app alone.',
      { type: 'SqliteRunLogError', code: 'APOGEE_SQLITE_FILE_REPLACED' },
    );
    this.reopen();
  }

  /** Opens the file at the path again with the state of the one left; retried until it succeeds. */
  private reopen(): void {
    const left = this.state.left;
    if (left === undefined) return;
    try {
      this.state.conn = reopenFile(this.path, this.options, left, this.state.owning);
    } catch (error) {
      this.warnings.failed(
        'recreate the file',
        error,
        'The state stays in memory (records are held); each ownership renewal tries again.',
      );
      return;
    }
    this.state.left = undefined;
    process.emitWarning(
      `SqliteRunLog: run log "${this.path}": recreated the file${left.copied ? ' with its whole history' : ' with the state a restart needs'}; records go to it again.`,
      { code: 'APOGEE_SQLITE_FILE_RECREATED' },
    );
    this.flushHeld();
  }

  /** One step of retention; a failure is a warning, since the record that triggered it is stored. */
  private retentionStep(): number {
    const conn = this.state.conn;
    if (conn?.db.open !== true) return 0;
    try {
      return conn.retention.step();
    } catch (error) {
      this.warnings.failed('apply retention', error, 'The next step tries again.');
      return 0;
    }
  }

  /** Drains a backlog in the background: one step per turn of the event loop until none is left. */
  private drainSoon(): void {
    if (this.state.draining || this.state.conn?.retention.active !== true) return;
    this.state.draining = true;
    const step = (): void => {
      if (this.retentionStep() === RETENTION_STEP_SIZE) setImmediate(step).unref();
      else this.state.draining = false;
    };
    setImmediate(step).unref();
  }

  private wrap(what: string, error: unknown): SqliteRunLogError {
    return wrapSqliteError(this.path, what, error);
  }
}

function apply(conn: Connection, write: HeldWrite): void {
  if (write.kind === 'record') conn.write(write.record);
  else conn.pauses.set(write.taskName, write.disabled);
}

function describe(write: HeldWrite): string {
  return write.kind === 'record'
    ? `store a "${write.record.action}" record of task "${write.record.taskName}"`
    : `store that task "${write.taskName}" was ${write.disabled ? 'disabled' : 'enabled'}`;
}
