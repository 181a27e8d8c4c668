import type { RunAction, RunLog } from '@apogee/core';
import { endsRun } from '@apogee/core/internal';
import { recordsBack } from './recordsBack';

/** A finished run as the dashboard's outcome strip shows it. */
export interface RunOutcome {
  readonly runId: string;
  readonly action: RunAction;
  readonly start: Date | null;
  readonly end: Date | null;
  readonly runtime: number | null;
}

/**
 * The last `n` finished runs of a task, oldest first: how each ended, when, and how long it took.
 * Reads back at most `budget` records, so a task whose recent history is all `run` records (runs
 * still going, or a log that keeps no ends) costs a bounded read.
 */
export async function recentRuns(
  log: RunLog,
  taskName: string,
  n: number,
  budget: number,
): Promise<RunOutcome[]> {
  const found: RunOutcome[] = [];
  if (n === 0) return found;
  await recordsBack(log, taskName, budget, (record) => {
    if (endsRun(record.action)) {
      found.push({
        runId: record.runId,
        action: record.action,
        start: record.start ?? null,
        end: record.end ?? record.created,
        runtime: record.runtime ?? null,
      });
    }
    return found.length < n;
  });
  return found.reverse();
}
