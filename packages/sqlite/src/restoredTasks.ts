import type Database from 'better-sqlite3';
import type { RestoredTask, RunAction, RunRecord } from '@apogee/core';
import { resetsFailures } from '@apogee/core/internal';

type Last = Partial<Record<RunAction, { at: Date; sequence: number }>>;

/** Every task's last state in the file: one row per task and action, whatever the history. */
export function restoredTasks(db: Database.Database): RestoredTask[] {
  const lastRows = db.prepare('SELECT task_name, action, created, seq FROM task_last').all() as {
    task_name: string;
    action: RunAction;
    created: number;
    seq: number;
  }[];
  const stateRows = db
    .prepare('SELECT task_name, status, consecutive_fails, has_return, return_value FROM task_state')
    .all() as {
    task_name: string;
    status: RunAction | null;
    consecutive_fails: number;
    has_return: number;
    return_value: string | null;
  }[];
  const lastByTask = new Map<string, Last>();
  for (const row of lastRows) {
    const entry = lastByTask.get(row.task_name) ?? {};
    entry[row.action] = { at: new Date(row.created), sequence: row.seq };
    lastByTask.set(row.task_name, entry);
  }
  return stateRows.map((row) => ({
    taskName: row.task_name,
    status: row.status ?? undefined,
    last: lastByTask.get(row.task_name) ?? {},
    consecutiveFails: row.consecutive_fails,
    ...(row.has_return === 1 && row.return_value !== null
      ? { returnValue: { value: JSON.parse(row.return_value) as unknown } }
      : {}),
  }));
}

/**
 * `tasks` with `held` (records the file refused, oldest first) applied as a write would have: a
 * crash recorded at a start on a full disk must count as the task's last crash all the same.
 */
export function withHeld(tasks: RestoredTask[], held: readonly RunRecord[]): RestoredTask[] {
  if (held.length === 0) return tasks;
  const byName = new Map(tasks.map((task) => [task.taskName, task]));
  let sequence = Math.max(0, ...tasks.flatMap((task) => Object.values(task.last).map((l) => l.sequence)));
  for (const record of held) {
    const task = byName.get(record.taskName) ?? {
      taskName: record.taskName,
      status: undefined,
      last: {},
      consecutiveFails: 0,
    };
    const fails = task.consecutiveFails;
    byName.set(record.taskName, {
      ...task,
      status: record.action,
      last: { ...task.last, [record.action]: { at: record.created, sequence: ++sequence } },
      consecutiveFails: resetsFailures(record.action) ? 0 : record.action === 'fail' ? fails + 1 : fails,
      ...(record.action === 'success' && record.returnValue !== undefined
        ? { returnValue: { value: record.returnValue } }
        : {}),
    });
  }
  return [...byName.values()];
}
