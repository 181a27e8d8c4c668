import { cursorOf } from '@apogee/core';
import type { RunAction, RunLog, RunRecord } from '@apogee/core';
import { endsRun } from '@apogee/core/internal';
import { recordsBack } from './recordsBack';
import { yieldToLoop } from './yieldToLoop';

/** The outcomes a timeline counts, in the order of a cell's counts; `run` is a run still going. */
export const TIMELINE_OUTCOMES = ['success', 'fail', 'terminate', 'inaction', 'crash', 'run'] as const;

/** The window and resolution of a timeline, in epoch milliseconds. */
export interface TimelineWindow {
  readonly from: number;
  readonly to: number;
  /** Cells the window is cut into when a lane is aggregated. */
  readonly buckets: number;
  /** Where a run still going ends its bar. */
  readonly now: number;
}

/** One run as a bar: start and end in epoch milliseconds (`end` null while it runs). */
export interface TimelineRun {
  readonly runId: string;
  readonly action: RunAction;
  readonly start: number;
  readonly end: number | null;
}

/** One task's lane: its runs one by one when they are few, else counts per cell. */
export interface TimelineLane {
  readonly task: string;
  /** Runs in the window. */
  readonly total: number;
  /** The runs, when there are at most a quarter as many as buckets. */
  readonly runs?: TimelineRun[];
  /**
   * Otherwise the cells that hold runs: `[index, ...counts]`, counts in the order of
   * {@link TIMELINE_OUTCOMES}; a run counts in every cell it overlaps.
   */
  readonly cells?: number[][];
  /** True when the read budget ran out before the start of the window: older runs are missing. */
  readonly truncated: boolean;
}

/** What `GET /timeline` answers. */
export interface Timeline {
  readonly from: number;
  readonly to: number;
  readonly buckets: number;
  readonly outcomes: typeof TIMELINE_OUTCOMES;
  readonly lanes: TimelineLane[];
}

/** Most records one timeline reads from the log, over all its lanes. */
export const TIMELINE_READ_BUDGET = 500_000;

/**
 * The runs of `taskNames` that overlap the window, one lane per task. A lane with more runs than a
 * quarter of the buckets comes as counts per cell instead, so what a client draws is bounded by
 * lanes times buckets however many records the log holds: 100,000 runs in a day draw as fast as 100.
 */
export async function timeline(
  log: RunLog,
  taskNames: readonly string[],
  window: TimelineWindow,
): Promise<Timeline> {
  const budget = Math.max(1000, Math.floor(TIMELINE_READ_BUDGET / Math.max(1, taskNames.length)));
  const lanes: TimelineLane[] = [];
  for (const task of taskNames) lanes.push(await lane(log, task, window, budget));
  return { from: window.from, to: window.to, buckets: window.buckets, outcomes: TIMELINE_OUTCOMES, lanes };
}

async function lane(
  log: RunLog,
  task: string,
  window: TimelineWindow,
  budget: number,
): Promise<TimelineLane> {
  const ended = new Set<string>();
  const runs: TimelineRun[] = [];
  let reachedStart = false;
  const { read, oldest } = await recordsBack(log, task, budget, (record) => {
    const created = record.created.getTime();
    // Records come newest first and each is written when it happens: past this one, every record
    // was written before the window, and the end of any run that reaches into it was already seen.
    if (created < window.from) {
      reachedStart = true;
      return false;
    }
    if (endsRun(record.action)) {
      ended.add(record.runId);
      const end = (record.end ?? record.created).getTime();
      const start = record.start?.getTime() ?? end - (record.runtime ?? 0);
      if (start <= window.to && end >= window.from)
        runs.push({ runId: record.runId, action: record.action, start, end });
    } else if (!ended.has(record.runId)) {
      const start = (record.start ?? record.created).getTime();
      if (start <= window.to) runs.push({ runId: record.runId, action: 'run', start, end: null });
    }
    return true;
  });
  // The walk also ends when the log has nothing older (fewer records than the budget): the whole
  // window was read. Having read exactly the budget, one more record says whether any is left.
  const truncated =
    !reachedStart &&
    read >= budget &&
    runs.length > 0 &&
    oldest !== undefined &&
    (await olderExists(log, task, oldest));
  runs.reverse();
  if (runs.length <= window.buckets / 4) return { task, total: runs.length, runs, truncated };
  return { task, total: runs.length, cells: cells(runs, window), truncated };
}

/** Whether the log holds a record of the task older than `oldest`: the walk stopped on its budget. */
async function olderExists(log: RunLog, task: string, oldest: RunRecord): Promise<boolean> {
  await yieldToLoop();
  return (await log.records({ taskName: task, limit: 1, before: cursorOf(oldest) })).length > 0;
}

/**
 * Counts per cell, by outcome. Each run adds one at its first cell and takes it back after its
 * last; a running sum over the cells then counts every run in every cell it overlaps, in time
 * proportional to runs plus cells however long the runs are.
 */
function cells(runs: readonly TimelineRun[], window: TimelineWindow): number[][] {
  const width = (window.to - window.from) / window.buckets;
  const last = window.buckets - 1;
  const changes = TIMELINE_OUTCOMES.map(() => new Int32Array(window.buckets + 1));
  for (const run of runs) {
    const first = Math.max(0, Math.floor((run.start - window.from) / width));
    const end = Math.min(last, Math.floor(((run.end ?? window.now) - window.from) / width));
    const change = changes[TIMELINE_OUTCOMES.indexOf(run.action)];
    if (change === undefined || first > end) continue;
    change[first] = (change[first] ?? 0) + 1;
    change[end + 1] = (change[end + 1] ?? 0) - 1;
  }
  const counts = TIMELINE_OUTCOMES.map(() => 0);
  const result: number[][] = [];
  for (let i = 0; i <= last; i++) {
    for (const [k, change] of changes.entries()) counts[k] = (counts[k] ?? 0) + (change[i] ?? 0);
    if (counts.some((c) => c > 0)) result.push([i, ...counts]);
  }
  return result;
}
