import type { RunRecord } from '@apogee/core';

/**
 * For a task due every second (`cron('* * * * * *')`): each due second has at most one `run`
 * record, whoever led and however often the leader changed, and there is at least one.
 */
export function expectOncePerSecond(records: readonly RunRecord[]): void {
  const starts = records.filter((r) => r.action === 'run');
  // The second each run was due for: a failover gap's runs start in a later second than theirs.
  const seconds = starts.map((r) => Math.floor((r.scheduledAt ?? r.created).getTime() / 1000));
  const twice = seconds.filter((s, i) => seconds.indexOf(s) !== i);
  expect(twice).toEqual([]);
  expect(starts.length).toBeGreaterThan(0);
}

/** Once every replica has stopped: every started run has exactly one end, and every end a start. */
export function expectEveryRunEnded(records: readonly RunRecord[]): void {
  const ends = new Map<string, number>();
  for (const r of records) if (r.action !== 'run') ends.set(r.runId, (ends.get(r.runId) ?? 0) + 1);
  const unended = records.filter((r) => r.action === 'run' && ends.get(r.runId) !== 1).map((r) => r.runId);
  expect(unended).toEqual([]);
  const runs = new Set(records.filter((r) => r.action === 'run').map((r) => r.runId));
  expect([...ends.keys()].filter((id) => !runs.has(id))).toEqual([]);
}
