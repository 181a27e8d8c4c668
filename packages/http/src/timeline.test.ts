import { MemoryRunLog, type RunAction } from '@apogee/core';
import { timeline } from './timeline';

const T0 = Date.parse('2026-01-05T00:00:00Z');
const MIN = 60_000;

/** Appends a finished run: its `run` record at `start`, its end record at `end`. */
function run(
  log: MemoryRunLog,
  taskName: string,
  runId: string,
  start: number,
  end: number | null,
  action: RunAction = 'success',
): void {
  log.append({ taskName, action: 'run', created: new Date(start), runId, start: new Date(start) });
  if (end === null) return;
  log.append({
    taskName,
    action,
    created: new Date(end),
    runId,
    start: new Date(start),
    end: new Date(end),
    runtime: end - start,
  });
}

describe('timeline', () => {
  it('lists the runs that overlap the window, one lane per task, a run still going ending at null', async () => {
    const log = new MemoryRunLog();
    run(log, 'etl', 'before', T0 - 30 * MIN, T0 - 20 * MIN);
    run(log, 'etl', 'across', T0 - 5 * MIN, T0 + 5 * MIN, 'fail');
    run(log, 'etl', 'inside', T0 + 10 * MIN, T0 + 11 * MIN, 'terminate');
    run(log, 'etl', 'going', T0 + 50 * MIN, null);
    run(log, 'other', 'o1', T0 + 20 * MIN, T0 + 21 * MIN);
    const answer = await timeline(log, ['etl', 'idle'], {
      from: T0,
      to: T0 + 60 * MIN,
      buckets: 60,
      now: T0 + 55 * MIN,
    });
    expect(answer.lanes).toEqual([
      {
        task: 'etl',
        total: 3,
        truncated: false,
        runs: [
          { runId: 'across', action: 'fail', start: T0 - 5 * MIN, end: T0 + 5 * MIN },
          { runId: 'inside', action: 'terminate', start: T0 + 10 * MIN, end: T0 + 11 * MIN },
          { runId: 'going', action: 'run', start: T0 + 50 * MIN, end: null },
        ],
      },
      { task: 'idle', total: 0, truncated: false, runs: [] },
    ]);
  });

  it('aggregates a lane with more runs than a quarter of the buckets into counts per cell', async () => {
    const log = new MemoryRunLog({ perTask: 10_000 });
    // 1,200 runs in an hour, one every 3 s; every tenth fails.
    for (let i = 0; i < 1200; i++) {
      const start = T0 + i * 3000;
      run(log, 'busy', `r${String(i)}`, start, start + 1000, i % 10 === 0 ? 'fail' : 'success');
    }
    const answer = await timeline(log, ['busy'], {
      from: T0,
      to: T0 + 60 * MIN,
      buckets: 60,
      now: T0 + 60 * MIN,
    });
    const [lane] = answer.lanes;
    expect(lane?.runs).toBeUndefined();
    expect(lane?.total).toBe(1200);
    expect(lane?.cells).toHaveLength(60);
    // Each minute holds 20 runs, 2 of them failed; counts follow TIMELINE_OUTCOMES.
    expect(lane?.cells?.[7]).toEqual([7, 18, 2, 0, 0, 0, 0]);
    expect(answer.outcomes).toEqual(['success', 'fail', 'terminate', 'inaction', 'crash', 'run']);
  });

  it('counts a long run in every cell it overlaps, and a run still going up to now', async () => {
    const log = new MemoryRunLog();
    for (let i = 0; i < 20; i++) run(log, 'many', `s${String(i)}`, T0 + i * 1000, T0 + i * 1000 + 500);
    run(log, 'many', 'long', T0 + 10 * MIN, T0 + 13 * MIN + 1);
    run(log, 'many', 'open', T0 + 40 * MIN, null);
    const answer = await timeline(log, ['many'], {
      from: T0,
      to: T0 + 60 * MIN,
      buckets: 60,
      now: T0 + 42 * MIN + 30_000,
    });
    const cells = answer.lanes[0]?.cells ?? [];
    expect(cells.filter((c) => (c[1] ?? 0) > 0 && (c[0] ?? 0) >= 10).map((c) => c[0])).toEqual([
      10, 11, 12, 13,
    ]);
    expect(cells.filter((c) => (c[6] ?? 0) > 0).map((c) => c[0])).toEqual([40, 41, 42]);
  });

  it('marks a lane truncated when its share of the read budget ends before the window starts', async () => {
    const log = new MemoryRunLog({ perTask: 10_000 });
    // 200 lanes share TIMELINE_READ_BUDGET: 2,500 records each. "deep" has 3,000 in the window.
    for (let i = 0; i < 1500; i++) run(log, 'deep', `d${String(i)}`, T0 + i * 1000, T0 + i * 1000 + 500);
    run(log, 'shallow', 's', T0, T0 + 1000);
    const names = ['deep', 'shallow', ...Array.from({ length: 198 }, (_, i) => `idle${String(i)}`)];
    const answer = await timeline(log, names, {
      from: T0 - MIN,
      to: T0 + 60 * MIN,
      buckets: 100,
      now: T0 + 60 * MIN,
    });
    expect(answer.lanes[0]).toMatchObject({ task: 'deep', truncated: true, total: 1250 });
    expect(answer.lanes[1]).toMatchObject({ task: 'shallow', truncated: false, total: 1 });
  });
});
