import type Database from 'better-sqlite3';

type Row = Record<string, unknown>;

/** Columns of `runs` copied with a record (all but its id, which the new file assigns). */
const RUN_COLUMNS = [
  'task_name',
  'action',
  'created',
  'run_id',
  'start',
  'end',
  'runtime',
  'error_message',
  'error_stack',
  'return_value',
  'scheduled_at',
  'parameters',
] as const;

/**
 * What a restart needs from a file, read from it while it is still open: each task's last record
 * of each action, its state (status, failure streak, return value), its pause and the runs still
 * open. Written into a new file, it keeps `daily` from running again after a restart.
 */
export interface StateSnapshot {
  /** The records `task_last` points at, oldest first. */
  readonly lastRecords: readonly Row[];
  readonly states: readonly Row[];
  readonly pauses: readonly Row[];
  readonly openRuns: readonly Row[];
}

/** Reads the state of the file `db` has open. */
export function readSnapshot(db: Database.Database): StateSnapshot {
  return db.transaction(() => ({
    lastRecords: db
      .prepare(
        `SELECT ${RUN_COLUMNS.join(', ')} FROM runs WHERE id IN (SELECT seq FROM task_last) ORDER BY id`,
      )
      .all() as Row[],
    states: db
      .prepare('SELECT task_name, status, consecutive_fails, has_return, return_value FROM task_state')
      .all() as Row[],
    pauses: db.prepare('SELECT task_name, disabled FROM task_pause').all() as Row[],
    openRuns: db.prepare('SELECT run_id, task_name, start FROM open_runs').all() as Row[],
  }))();
}

/**
 * Writes `snapshot` into the file `db` has open, in one transaction, over what that file holds for
 * the same tasks: the records get new ids (in their old order), so `task_last` points at them.
 */
export function writeSnapshot(db: Database.Database, snapshot: StateSnapshot): void {
  const insertRun = db.prepare(
    `INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const last = db.prepare(
    `INSERT INTO task_last (task_name, action, created, seq) VALUES (@task_name, @action, @created, @seq)
     ON CONFLICT (task_name, action) DO UPDATE SET created = excluded.created, seq = excluded.seq`,
  );
  const state = db.prepare(
    // An upsert, not a replace: `kept` counts this file's own records (its triggers keep it).
    `INSERT INTO task_state (task_name, status, consecutive_fails, has_return, return_value)
     VALUES (@task_name, @status, @consecutive_fails, @has_return, @return_value)
     ON CONFLICT (task_name) DO UPDATE SET status = excluded.status, consecutive_fails = excluded.consecutive_fails,
       has_return = excluded.has_return, return_value = excluded.return_value`,
  );
  const pause = db.prepare(
    'INSERT OR REPLACE INTO task_pause (task_name, disabled) VALUES (@task_name, @disabled)',
  );
  const open = db.prepare(
    'INSERT OR REPLACE INTO open_runs (run_id, task_name, start) VALUES (@run_id, @task_name, @start)',
  );
  db.transaction(() => {
    for (const row of snapshot.lastRecords) {
      const seq = insertRun.run(row).lastInsertRowid;
      last.run({ ...row, seq });
    }
    for (const row of snapshot.states) state.run(row);
    for (const row of snapshot.pauses) pause.run(row);
    for (const row of snapshot.openRuns) open.run(row);
  })();
}
