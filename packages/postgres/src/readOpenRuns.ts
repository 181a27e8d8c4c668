import type { RestoredTask } from '@apogee/core';

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
