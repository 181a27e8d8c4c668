import type { RunLog } from '../../log/RunLog';

/**
 * Whether `log` holds the `run` record of run `runId` of `taskName`. A log answers a `before`
 * cursor from its index, so a start with an older record in its task is found in one short read;
 * the read is empty both when the start is not stored and when it is the task's oldest record,
 * and only then are the task's starts read to tell the two apart.
 */
export async function startOnRecord(log: RunLog, taskName: string, runId: string): Promise<boolean> {
  const older = await log.records({ taskName, before: { runId, action: 'run' }, limit: 1 });
  if (older.length > 0) return true;
  const starts = await log.records({ taskName, action: 'run' });
  return starts.some((record) => record.runId === runId);
}
