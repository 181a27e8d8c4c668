import type { RunRecord } from '@apogee/core';

/** What a per-second task's starts covered: due seconds without a run, and those with two. */
export interface DueSeconds {
  /** Seconds (ms since the epoch, on the machine's clock) from the first start to the last without a run. */
  readonly missing: number[];
  /** Seconds with more than one run. */
  readonly twice: number[];
}

/**
 * For a task due every second (`cron('* * * * * *')`): the due second of each `run` record (its
 * `scheduledAt`, else its start) read on the machine's clock, by `skewOf(runId)`, the skew of the
 * clock of the replica that wrote it; then which seconds between the first and the last have no
 * run, and which have two. `from` (machine time) leaves out the seconds before it (a takeover test
 * looks from the old leader's last start on: a loaded machine may skip a second while one leader
 * runs, with `overlap: 'skip'`, which no takeover causes).
 */
export function dueSeconds(
  records: readonly RunRecord[],
  skewOf: (runId: string) => number = () => 0,
  from = -Infinity,
): DueSeconds {
  const counts = new Map<number, number>();
  for (const r of records) {
    if (r.action !== 'run') continue;
    const due = (r.scheduledAt ?? r.start ?? r.created).getTime() - skewOf(r.runId);
    if (due < from) continue;
    const second = Math.floor(due / 1000) * 1000;
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  const seconds = [...counts.keys()].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let s = seconds[0] ?? 0; s < (seconds.at(-1) ?? 0); s += 1000) if (!counts.has(s)) missing.push(s);
  return { missing, twice: seconds.filter((s) => (counts.get(s) ?? 0) > 1) };
}

/**
 * Each run's writer's clock skew, for {@link dueSeconds}: the fixtures' runs return their pid, so
 * a run's `success` record names the replica that ran it; `skews` maps pids to their skew.
 */
export function skewByWriter(
  records: readonly RunRecord[],
  skews: ReadonlyMap<number, number>,
): (runId: string) => number {
  const byRun = new Map<string, number>();
  for (const r of records)
    if (r.action === 'success') byRun.set(r.runId, skews.get(r.returnValue as number) ?? 0);
  return (runId) => byRun.get(runId) ?? 0;
}

/** The latest due instant (machine time) of the runs `pid` made: where a takeover's window opens. */
export function lastDueOf(records: readonly RunRecord[], pid: number, skew = 0): number {
  const mine = new Set(
    records.filter((r) => r.action === 'success' && r.returnValue === pid).map((r) => r.runId),
  );
  const dues = records
    .filter((r) => r.action === 'run' && mine.has(r.runId))
    .map((r) => (r.scheduledAt ?? r.start ?? r.created).getTime() - skew);
  return Math.max(...dues);
}
