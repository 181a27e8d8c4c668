import type Database from 'better-sqlite3';
import { endsRun, resetsFailures, toMilliseconds } from '@apogee/core/internal';
import {
  type Clock,
  type Duration,
  type RestoredTask,
  type RunAction,
  type RunLog,
  type RunQuery,
  type RunRecord,
} from '@apogee/core';
import { FileOwner } from './FileOwner';
import { toRecord, toRow, type RunRow } from './RunRow';
import { MIGRATIONS } from './migrations';
import { recordsQuery } from './recordsQuery';
import { Retention, RETENTION_STEP_EVERY, RETENTION_STEP_SIZE } from './Retention';
import { SqliteRunLogError } from './SqliteRunLogError';
import { TaskPauses } from './TaskPauses';
import { wrapSqliteError } from './wrapSqliteError';
import { openDatabase } from './openDatabase';
import { PageCursors } from './PageCursors';

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
 * @example
 * ```ts
 * const app = new App({ log: new SqliteRunLog('.apogee/runs.db', { retention: { maxAge: '30 days' } }) });
 * ```
 */
export class SqliteRunLog implements RunLog {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly retention: Retention;
  private readonly owner: FileOwner;
  private readonly pauses: TaskPauses;
  private readonly cursors: PageCursors;
  private readonly write: (record: RunRecord) => void;
  private readonly state = {
    /** Appends since the last retention step they ran: at RETENTION_STEP_EVERY, one more runs. */
    appendsSinceStep: 0,
    /** Whether background steps are draining a backlog. */
    draining: false,
  };

  /** The schema version this release writes. */
  static readonly SCHEMA_VERSION = MIGRATIONS.length;

  constructor(
    /** The database file this log reads and writes. */
    readonly path: string,
    options: SqliteRunLogOptions = {},
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
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
    const ownerTimeout = toMilliseconds(
      options.ownerTimeout ?? '1 minute',
      `SqliteRunLog("${path}") ownerTimeout`,
    );
    this.db = openDatabase(path, options.busyTimeoutMs ?? 250);
    this.write = this.prepareWrite();
    this.retention = new Retention(this.db, { maxAge, perTask }, this.clock);
    this.owner = new FileOwner(this.db, path, ownerTimeout);
    this.pauses = new TaskPauses(this.db);
    this.cursors = new PageCursors(this.db);
  }

  private prepareWrite(): (record: RunRecord) => void {
    const insert = this.db.prepare(
      `INSERT INTO runs (task_name, action, created, run_id, start, end, runtime, error_message, error_stack, return_value, scheduled_at, parameters)
       VALUES (@task_name, @action, @created, @run_id, @start, @end, @runtime, @error_message, @error_stack, @return_value, @scheduled_at, @parameters)`,
    );
    const last = this.db.prepare(
      `INSERT INTO task_last (task_name, action, created, seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (task_name, action) DO UPDATE SET created = excluded.created, seq = excluded.seq`,
    );
    const state = this.db.prepare(
      `INSERT INTO task_state (task_name, status, consecutive_fails, has_return, return_value) VALUES (@task, @status, @fails, @has, @value)
       ON CONFLICT (task_name) DO UPDATE SET
         status = excluded.status,
         consecutive_fails = CASE WHEN @reset THEN 0 WHEN @failed THEN consecutive_fails + 1 ELSE consecutive_fails END,
         has_return = CASE WHEN @success THEN excluded.has_return ELSE has_return END,
         return_value = CASE WHEN @success THEN excluded.return_value ELSE return_value END`,
    );
    const open = this.db.prepare(
      'INSERT OR REPLACE INTO open_runs (run_id, task_name, start) VALUES (?, ?, ?)',
    );
    const close = this.db.prepare('DELETE FROM open_runs WHERE run_id = ?');
    return this.db.transaction((record: RunRecord) => {
      const row = toRow(record);
      const returnValue = row.return_value;
      const created = row.created;
      const id = insert.run(row).lastInsertRowid;
      last.run(record.taskName, record.action, created, id);
      const success = record.action === 'success';
      state.run({
        task: record.taskName,
        status: record.action,
        fails: record.action === 'fail' ? 1 : 0,
        has: success && returnValue !== null ? 1 : 0,
        value: returnValue,
        reset: resetsFailures(record.action) ? 1 : 0,
        failed: record.action === 'fail' ? 1 : 0,
        success: success ? 1 : 0,
      });
      if (record.action === 'run') open.run(record.runId, record.taskName, row.start ?? created);
      else if (endsRun(record.action)) close.run(record.runId);
    });
  }

  /**
   * Stores one record with its task's state, in one transaction; every 100th append also runs one
   * step of retention. Throws once another process has taken the file over from this one.
   */
  append(record: RunRecord): void {
    this.owner.assertNotLost();
    try {
      this.write(record);
    } catch (error) {
      throw this.wrap(`cannot store a "${record.action}" record of task "${record.taskName}"`, error);
    }
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
      const stamp = this.cursors.stamp();
      // Remembered page ends belong to offset walks; a cursor carries its own bound.
      const byOffset = query.before === undefined;
      const { sql, args, newestFirst } = recordsQuery(
        query,
        byOffset ? this.cursors.below(query, stamp) : undefined,
      );
      const rows = this.db.prepare(sql).all(...args) as (RunRow & { id: number })[];
      const oldest = rows.at(-1);
      if (byOffset && newestFirst && oldest !== undefined)
        this.cursors.remember(query, (query.offset ?? 0) + rows.length, oldest.id, stamp);
      if (newestFirst) rows.reverse();
      return Promise.resolve(rows.map(toRecord));
    } catch (error) {
      return Promise.reject(this.wrap('cannot read records', error));
    }
  }

  /**
   * Records runs left open by a previous process as `crash`, then returns every task's last
   * state: one row per task and action, whatever the length of the history.
   */
  restore(): RestoredTask[] {
    // Before anything is written: a second app must not mark the owner's live runs as crashed.
    let ownerLastSeen: number | undefined;
    try {
      ownerLastSeen = this.owner.acquire();
    } catch (error) {
      if (error instanceof SqliteRunLogError) throw error;
      throw this.wrap('cannot take ownership of the file', error);
    }
    try {
      const now = new Date(this.clock.now());
      const open = this.db.prepare('SELECT run_id, task_name, start FROM open_runs').all() as {
        run_id: string;
        task_name: string;
        start: number;
      }[];
      // A crashed run ended at the crashed process's last sign of life: its last record or lease
      // renewal, whichever is later. Without either (the file had no owner), at this start.
      const lastRecord = (
        this.db.prepare('SELECT MAX(created) AS at FROM runs').get() as { at: number | null }
      ).at;
      const lastSeen =
        ownerLastSeen === undefined ? now.getTime() : Math.max(ownerLastSeen, lastRecord ?? ownerLastSeen);
      for (const run of open) {
        const end = Math.min(now.getTime(), Math.max(run.start, lastSeen));
        this.write({
          taskName: run.task_name,
          action: 'crash',
          created: now,
          runId: run.run_id,
          start: new Date(run.start),
          end: new Date(end),
          runtime: end - run.start,
          error: 'the process running it stopped before the run ended',
        });
      }
      const lastRows = this.db.prepare('SELECT task_name, action, created, seq FROM task_last').all() as {
        task_name: string;
        action: RunAction;
        created: number;
        seq: number;
      }[];
      const stateRows = this.db
        .prepare('SELECT task_name, status, consecutive_fails, has_return, return_value FROM task_state')
        .all() as {
        task_name: string;
        status: RunAction | null;
        consecutive_fails: number;
        has_return: number;
        return_value: string | null;
      }[];
      const lastByTask = new Map<string, Partial<Record<RunAction, { at: Date; sequence: number }>>>();
      for (const row of lastRows) {
        const entry = lastByTask.get(row.task_name) ?? {};
        entry[row.action] = { at: new Date(row.created), sequence: row.seq };
        lastByTask.set(row.task_name, entry);
      }
      this.drainSoon();
      return stateRows.map((row) => ({
        taskName: row.task_name,
        status: row.status ?? undefined,
        last: lastByTask.get(row.task_name) ?? {},
        consecutiveFails: row.consecutive_fails,
        ...(row.has_return === 1 && row.return_value !== null
          ? { returnValue: { value: JSON.parse(row.return_value) as unknown } }
          : {}),
      }));
    } catch (error) {
      throw this.wrap('cannot restore task state', error);
    }
  }

  /** Stores a task's pause state (`task.disable()` / `task.enable()`); see `RunLog.setDisabled`. */
  setDisabled(taskName: string, disabled: boolean): void {
    this.owner.assertNotLost();
    try {
      this.pauses.set(taskName, disabled);
    } catch (error) {
      throw this.wrap(`cannot store that task "${taskName}" was ${disabled ? 'disabled' : 'enabled'}`, error);
    }
  }

  /** Each task's stored pause state; see `RunLog.disabledTasks`. */
  disabledTasks(): Map<string, boolean> {
    try {
      return this.pauses.all();
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
      return this.db.open ? this.retention.step() : 0;
    } catch (error) {
      throw this.wrap('cannot apply retention', error);
    }
  }

  /**
   * Gives up the ownership `restore()` took, keeping the file open for reading; the next
   * `restore()` takes it again. The app calls it when it shuts down.
   */
  release(): void {
    this.owner.release();
  }

  /** Gives up ownership and closes the file. */
  close(): void {
    if (!this.db.open) return;
    this.owner.release();
    this.db.close();
  }

  /** One step of retention; a failure is a warning, since the record that triggered it is stored. */
  private retentionStep(): number {
    if (!this.db.open) return 0;
    try {
      return this.retention.step();
    } catch (error) {
      process.emitWarning(this.wrap('cannot apply retention', error).message, {
        code: 'APOGEE_SQLITE_RETENTION',
      });
      return 0;
    }
  }

  /** Drains a backlog in the background: one step per turn of the event loop until none is left. */
  private drainSoon(): void {
    if (this.state.draining || !this.retention.active) return;
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
