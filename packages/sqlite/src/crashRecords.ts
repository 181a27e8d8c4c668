import type Database from 'better-sqlite3';
import type { RunRecord } from '@apogee/core';

/**
 * The `crash` records of the runs a previous process left open in the file. A crashed run ended
 * at that process's last sign of life: its last record or its last renewal of the ownership
 * (`ownerLastSeen`), whichever is later; without either (the file had no owner), at `now`.
 */
export function crashRecords(
  db: Database.Database,
  now: number,
  ownerLastSeen: number | undefined,
): RunRecord[] {
  const open = db.prepare('SELECT run_id, task_name, start FROM open_runs').all() as {
    run_id: string;
    task_name: string;
    start: number;
  }[];
  const lastRecord = (db.prepare('SELECT MAX(created) AS at FROM runs').get() as { at: number | null }).at;
  const lastSeen = ownerLastSeen === undefined ? now : Math.max(ownerLastSeen, lastRecord ?? ownerLastSeen);
  return open.map((run) => {
    const end = Math.min(now, Math.max(run.start, lastSeen));
    return {
      taskName: run.task_name,
      action: 'crash',
      created: new Date(now),
      runId: run.run_id,
      start: new Date(run.start),
      end: new Date(end),
      runtime: end - run.start,
      error: 'the process running it stopped before the run ended',
    };
  });
}
