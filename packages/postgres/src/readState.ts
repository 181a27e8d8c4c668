import type { RestoredTask } from '@apogee/core';
import { isRunAction, type RunAction } from '@apogee/core/internal';
import { warnSkipped } from './readBack';

type Last = Partial<Record<RunAction, { at: Date; sequence: number }>>;

/**
 * Each task's state as `task_state` holds it, validated: a malformed row is skipped with a
 * warning naming it (that task starts without history), and never stops the restore.
 */
export function readTaskStates(
  rows: readonly { task: string; state: unknown }[],
  table: string,
  app: string,
): Map<string, RestoredTask> {
  const restored = new Map<string, RestoredTask>();
  for (const { task, state } of rows) {
    try {
      restored.set(task, readTaskState(task, state));
    } catch (error) {
      warnSkipped(`${table} (app "${app}", task "${task}")`, error);
    }
  }
  return restored;
}

function readTaskState(taskName: string, value: unknown): RestoredTask {
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  const s = value as Record<string, unknown>;
  if (s.status !== undefined && !isRunAction(s.status)) throw new Error(`status ${JSON.stringify(s.status)}`);
  const fails = s.consecutiveFails;
  if (typeof fails !== 'number' || !Number.isInteger(fails) || fails < 0)
    throw new Error('consecutiveFails is not a whole number');
  if (typeof s.last !== 'object' || s.last === null) throw new Error('no "last"');
  const last: Last = {};
  for (const [action, l] of Object.entries(s.last as Record<string, unknown>)) {
    const entry = l as { at?: unknown; sequence?: unknown } | null;
    if (!isRunAction(action) || typeof entry?.at !== 'number' || typeof entry.sequence !== 'number')
      throw new Error(`last.${action} is malformed`);
    last[action] = { at: new Date(entry.at), sequence: entry.sequence };
  }
  if (s.returnValue !== undefined && typeof s.returnValue !== 'string')
    throw new Error('returnValue is not JSON text');
  return {
    taskName,
    status: s.status,
    last,
    consecutiveFails: fails,
    ...(s.returnValue === undefined ? {} : { returnValue: { value: JSON.parse(s.returnValue) as unknown } }),
  };
}

/**
 * Folds claimed starts not recorded yet into `restored`: such a start happened, after everything
 * stored, so the task counts as running from then on (a new leader does not start it again).
 */
export function readOpenRuns(
  open: readonly { task: string; start_ms: string; recorded: boolean }[],
  restored: Map<string, RestoredTask>,
): void {
  for (const run of open) {
    if (run.recorded) continue;
    const start = Number(run.start_ms);
    const task = restored.get(run.task);
    const lastRun = task?.last.run;
    if (lastRun !== undefined && lastRun.at.getTime() >= start) continue;
    restored.set(run.task, {
      taskName: run.task,
      status: 'run',
      last: { ...task?.last, run: { at: new Date(start), sequence: Number.MAX_SAFE_INTEGER } },
      consecutiveFails: task?.consecutiveFails ?? 0,
      ...(task?.returnValue === undefined ? {} : { returnValue: task.returnValue }),
    });
  }
}
