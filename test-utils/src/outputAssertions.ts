import type { OutputLine, RunLogWithOutput, RunRecord } from '@apogee/core';

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/**
 * Stores the output of three runs of task "out" in `log` (whose retention keeps 4 records per
 * task), in batches, a live run's lines read back before it ends; expects each run's lines back in
 * order with their fields, and the first run's output removed with its records once a third run
 * ended (`prune` applies the log's retention, for logs that apply it lazily).
 */
export async function expectOutputKeptWithRecords(
  log: RunLogWithOutput,
  prune: () => unknown = () => undefined,
): Promise<void> {
  const lines = (runId: string): OutputLine[] => [
    { at: at(1), level: 'info', message: `${runId} started`, fields: { rows: 3, nested: { ok: true } } },
    { at: at(2), level: 'warn', message: 'ünïcode ✓' },
    { at: at(3), level: 'error', message: 'last' },
  ];
  for (const [i, runId] of ['o1', 'o2', 'o3'].entries()) {
    const start: RunRecord = {
      taskName: 'out',
      runId,
      action: 'run',
      created: at(i * 10),
      start: at(i * 10),
    };
    await log.append(start);
    const [first, ...rest] = lines(runId);
    await log.appendOutput(runId, 'out', [first as OutputLine]);
    // Live: what was stored so far is readable before the run ends.
    expect(await log.output(runId)).toEqual([first]);
    await log.appendOutput(runId, 'out', rest);
    const end = at(i * 10 + 5);
    await log.append({ ...start, action: 'success', created: end, end, runtime: 5000 });
  }
  await prune();
  expect(await log.output('o1')).toEqual([]);
  expect(await log.output('o2')).toEqual(lines('o2'));
  expect(await log.output('o3')).toEqual(lines('o3'));
  expect(await log.output('never')).toEqual([]);
}
