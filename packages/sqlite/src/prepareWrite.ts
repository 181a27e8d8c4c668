import type Database from 'better-sqlite3';
import type { RunRecord } from '@apogee/core';
import { endsRun, resetsFailures } from '@apogee/core/internal';
import { toRow } from './RunRow';

/**
 * The write of one record: its row, its task's last record of that action, its task's state and
 * the open runs, in one transaction, so the file never holds a record without the state it sets.
 */
export function prepareWrite(db: Database.Database): (record: RunRecord) => void {
  const insert = db.prepare(
    `INSERT INTO runs (task_name, action, created, run_id, start, end, runtime, error_message, error_stack, return_value, scheduled_at, parameters)
     VALUES (@task_name, @action, @created, @run_id, @start, @end, @runtime, @error_message, @error_stack, @return_value, @scheduled_at, @parameters)`,
  );
  const last = db.prepare(
    `INSERT INTO task_last (task_name, action, created, seq) VALUES (?, ?, ?, ?)
     ON CONFLICT (task_name, action) DO UPDATE SET created = excluded.created, seq = excluded.seq`,
  );
  const state = db.prepare(
    `INSERT INTO task_state (task_name, status, consecutive_fails, has_return, return_value) VALUES (@task, @status, @fails, @has, @value)
     ON CONFLICT (task_name) DO UPDATE SET
       status = excluded.status,
       consecutive_fails = CASE WHEN @reset THEN 0 WHEN @failed THEN consecutive_fails + 1 ELSE consecutive_fails END,
       has_return = CASE WHEN @success THEN excluded.has_return ELSE has_return END,
       return_value = CASE WHEN @success THEN excluded.return_value ELSE return_value END`,
  );
  const open = db.prepare('INSERT OR REPLACE INTO open_runs (run_id, task_name, start) VALUES (?, ?, ?)');
  const close = db.prepare('DELETE FROM open_runs WHERE run_id = ?');
  return db.transaction((record: RunRecord) => {
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
