import Database from 'better-sqlite3';
import { endsRun, errorMessage, resetsFailures, toMilliseconds } from '@apogee/core/internal';
import {
  type Clock,
  type Duration,
  type RestoredTask,
  type RunAction,
  type RunLog,
  type RunQuery,
  type RunRecord,
} from '@apogee/core';
import { MIGRATIONS } from './migrations';
import { SqliteRunLogError } from './SqliteRunLogError';

/** How much history to keep. Both limits may be set; by default everything is kept. */
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
}

interface RunRow {
  task_name: string;
  action: RunAction;
  created: number;
  run_id: string;
  start: number | null;
  end: number | null;
  runtime: number | null;
  error_message: string | null;
  error_stack: string | null;
  return_value: string | null;
}

/** Records deleted per step of retention, so one step never holds the event loop for long. */
const PRUNE_CHUNK = 1000;
/** Appends between retention passes. */
const PRUNE_EVERY = 500;

/** JSON for a value, or `null` when it does not survive the trip (functions, cycles, ...). */
function toJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

const errorParts = (error: unknown): { message: string | null; stack: string | null } => {
  if (error === undefined) return { message: null, stack: null };
  const stack: unknown =
    typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  if (typeof stack === 'string') return { message: errorMessage(error), stack };
  return { message: errorMessage(error), stack: null };
};

/**
 * A run log in an SQLite file (better-sqlite3, WAL mode): every record is kept (within the
 * retention limits), and each task's status, last run times and last return value are restored
 * when the app starts, so `daily` does not run twice in a day across restarts and `Return` keeps
 * working. Start-up reads one row per task and action, however long the history.
 *
 * @example
 * ```ts
 * const app = new App({ log: new SqliteRunLog('.apogee/runs.db', { retention: { maxAge: '30 days' } }) });
 * ```
 */
export class SqliteRunLog implements RunLog {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly maxAge: number | undefined;
  private readonly perTask: number | undefined;
  private readonly write: (record: RunRecord) => void;
  private appendsSincePrune = 0;
  private pruning = false;

  /** The schema version this release writes. */
  static readonly SCHEMA_VERSION = MIGRATIONS.length;

  constructor(
    readonly path: string,
    options: SqliteRunLogOptions = {},
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.maxAge =
      options.retention?.maxAge === undefined
        ? undefined
        : toMilliseconds(options.retention.maxAge, `SqliteRunLog("${path}") retention.maxAge`);
    this.perTask = options.retention?.perTask;
    if (this.perTask !== undefined && (!Number.isInteger(this.perTask) || this.perTask < 1)) {
      throw new SqliteRunLogError(
        path,
        'retention.perTask must be a whole number of at least 1',
        'Fix the option.',
        this.perTask,
      );
    }
    this.db = this.open(options.busyTimeoutMs ?? 250);
    this.write = this.prepareWrite();
  }

  private open(busyTimeoutMs: number): Database.Database {
    let db: Database.Database | undefined;
    try {
      db = new Database(this.path, { timeout: busyTimeoutMs });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > MIGRATIONS.length) {
        db.close();
        throw new SqliteRunLogError(
          this.path,
          `it was written by a newer version of @apogee/sqlite (schema version ${version}; this version reads up to ${MIGRATIONS.length})`,
          'Upgrade @apogee/sqlite, or give SqliteRunLog another file.',
        );
      }
      const migrate = db.transaction(() => {
        for (let v = version; v < MIGRATIONS.length; v++)
          (db as Database.Database).exec(MIGRATIONS[v] as string);
        (db as Database.Database).pragma(`user_version = ${MIGRATIONS.length}`);
      });
      migrate();
      return db;
    } catch (error) {
      if (error instanceof SqliteRunLogError) throw error;
      db?.close();
      const message = errorMessage(error);
      const fix = /not a database|malformed|corrupt/i.test(message)
        ? 'The file is not a valid SQLite database: move it aside (history is lost) or restore it from a backup.'
        : 'Check that the directory exists and that this process may read and write the file.';
      throw new SqliteRunLogError(this.path, `cannot open it (${message})`, fix, undefined, error);
    }
  }

  private prepareWrite(): (record: RunRecord) => void {
    const insert = this.db.prepare(
      `INSERT INTO runs (task_name, action, created, run_id, start, end, runtime, error_message, error_stack, return_value)
       VALUES (@task_name, @action, @created, @run_id, @start, @end, @runtime, @error_message, @error_stack, @return_value)`,
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
      const error = errorParts(record.error);
      const returnValue = record.action === 'success' ? toJson(record.returnValue) : null;
      const created = record.created.getTime();
      const row: RunRow = {
        task_name: record.taskName,
        action: record.action,
        created,
        run_id: record.runId,
        start: record.start?.getTime() ?? null,
        end: record.end?.getTime() ?? null,
        runtime: record.runtime ?? null,
        error_message: error.message,
        error_stack: error.stack,
        return_value: returnValue,
      };
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

  /** Stores one record with its task's state, in one transaction. */
  append(record: RunRecord): void {
    try {
      this.write(record);
    } catch (error) {
      throw this.wrap(`cannot store a "${record.action}" record of task "${record.taskName}"`, error);
    }
    if (++this.appendsSincePrune >= PRUNE_EVERY) this.pruneSoon();
  }

  /** Stored records, oldest first. */
  records(query: RunQuery = {}): Promise<RunRecord[]> {
    const where: string[] = [];
    const args: string[] = [];
    if (query.taskName !== undefined) {
      where.push('task_name = ?');
      args.push(query.taskName);
    }
    if (query.action !== undefined) {
      where.push('action = ?');
      args.push(query.action);
    }
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    try {
      const rows = this.db.prepare(sql).all(...args) as RunRow[];
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
    try {
      const now = new Date(this.clock.now());
      const open = this.db.prepare('SELECT run_id, task_name, start FROM open_runs').all() as {
        run_id: string;
        task_name: string;
        start: number;
      }[];
      for (const run of open) {
        this.write({
          taskName: run.task_name,
          action: 'crash',
          created: now,
          runId: run.run_id,
          start: new Date(run.start),
          end: now,
          runtime: now.getTime() - run.start,
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
      this.pruneSoon();
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

  /**
   * Applies the retention limits now, in steps of at most 1,000 records, and returns how many
   * records it removed. The scheduler calls it in the background; call it yourself to force it.
   */
  prune(): number {
    let removed = 0;
    for (let step = this.pruneStep(); step > 0; step = this.pruneStep()) removed += step;
    return removed;
  }

  /** Retention in the background: one step per turn of the event loop. */
  private pruneSoon(): void {
    this.appendsSincePrune = 0;
    if (this.pruning || (this.maxAge === undefined && this.perTask === undefined)) return;
    this.pruning = true;
    const step = (): void => {
      let removed = 0;
      try {
        removed = this.pruneStep();
      } catch (error) {
        this.pruning = false;
        process.emitWarning(this.wrap('cannot apply retention', error).message, {
          code: 'APOGEE_SQLITE_RETENTION',
        });
        return;
      }
      if (removed > 0 && this.db.open) setImmediate(step).unref();
      else this.pruning = false;
    };
    setImmediate(step).unref();
  }

  private pruneStep(): number {
    if (!this.db.open) return 0;
    if (this.maxAge !== undefined) {
      const cutoff = this.clock.now() - this.maxAge;
      const removed = this.db
        .prepare(
          `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE created < ? ORDER BY id LIMIT ${PRUNE_CHUNK})`,
        )
        .run(cutoff).changes;
      if (removed > 0) return removed;
    }
    if (this.perTask !== undefined) {
      const over = this.db
        .prepare('SELECT task_name, COUNT(*) AS n FROM runs GROUP BY task_name HAVING n > ? LIMIT 1')
        .get(this.perTask) as { task_name: string; n: number } | undefined;
      if (over !== undefined) {
        return this.db
          .prepare(
            `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE task_name = ? ORDER BY id LIMIT ?)`,
          )
          .run(over.task_name, Math.min(PRUNE_CHUNK, over.n - this.perTask)).changes;
      }
    }
    return 0;
  }

  /** Closes the file. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private wrap(what: string, error: unknown): SqliteRunLogError {
    const message = errorMessage(error);
    const code = (error as { code?: string } | undefined)?.code ?? '';
    const fix =
      code === 'SQLITE_FULL'
        ? 'The disk (or the database size limit) is full: free space. Apogee keeps the task state in memory meanwhile.'
        : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
          ? 'Another process holds a write lock on the file: let only one scheduler write to it.'
          : code.startsWith('SQLITE_READONLY')
            ? 'The file is read-only for this process: fix its permissions.'
            : 'See the cause; the scheduler keeps its state in memory and goes on.';
    return new SqliteRunLogError(this.path, `${what} (${message})`, fix, undefined, error);
  }
}

function toRecord(row: RunRow): RunRecord {
  const record: Record<string, unknown> = {
    taskName: row.task_name,
    action: row.action,
    created: new Date(row.created),
    runId: row.run_id,
  };
  if (row.start !== null) record.start = new Date(row.start);
  if (row.end !== null) record.end = new Date(row.end);
  if (row.runtime !== null) record.runtime = row.runtime;
  if (row.error_message !== null) {
    const error = new Error(row.error_message);
    error.stack = row.error_stack ?? undefined;
    record.error = error;
  }
  if (row.return_value !== null) record.returnValue = JSON.parse(row.return_value) as unknown;
  return record as unknown as RunRecord;
}
