import { expectCursorPagingMatchesOffsets } from '@apogee/test-utils';
import type { RunAction } from '../conditions/runActions';
import { MemoryRunLog } from './MemoryRunLog';
import type { RunQuery } from './RunRecord';

function filled(perTask: number): MemoryRunLog {
  const log = new MemoryRunLog({ perTask });
  // r1..r30 across three tasks; every fifth a failure.
  for (let i = 1; i <= 30; i++) {
    const action: RunAction = i % 5 === 0 ? 'fail' : 'run';
    log.append({ taskName: `t${i % 3}`, action, created: new Date(i), runId: `r${i}` });
  }
  return log;
}

const ids = async (log: MemoryRunLog, query?: RunQuery): Promise<string[]> =>
  (await log.records(query)).map((r) => r.runId);

describe('MemoryRunLog records()', () => {
  it('keeps the last perTask records of each task, oldest first across tasks', async () => {
    const log = filled(4);
    expect(await ids(log)).toEqual(Array.from({ length: 12 }, (_, k) => `r${19 + k}`));
    expect(await ids(log, { taskName: 't1' })).toEqual(['r19', 'r22', 'r25', 'r28']);
    expect(await ids(log, { taskName: 't1', limit: 2, offset: 1 })).toEqual(['r22', 'r25']);
    expect(await ids(log, { taskName: 't1', limit: 9, offset: 3 })).toEqual(['r19']);
    expect(await ids(log, { taskName: 'none', limit: 1 })).toEqual([]);
    expect(await ids(log, { action: 'fail' })).toEqual(['r20', 'r25', 'r30']);
  });

  it('returns the newest limit records, oldest first, across tasks and within a filter', async () => {
    const log = filled(100);
    expect(await ids(log, { limit: 1 })).toEqual(['r30']);
    expect(await ids(log, { limit: 4 })).toEqual(['r27', 'r28', 'r29', 'r30']);
    expect(await ids(log, { taskName: 't2', limit: 2 })).toEqual(['r26', 'r29']);
    expect(await ids(log, { action: 'fail', limit: 2 })).toEqual(['r25', 'r30']);
    expect(await ids(log, { taskName: 't0', action: 'fail', limit: 5 })).toEqual(['r15', 'r30']);
    expect(await ids(log, { limit: 0 })).toEqual([]);
  });

  it('pages back with offset until the history runs out', async () => {
    const log = filled(100);
    expect(await ids(log, { limit: 3, offset: 3 })).toEqual(['r25', 'r26', 'r27']);
    expect(await ids(log, { taskName: 't1', limit: 2, offset: 8 })).toEqual(['r1', 'r4']);
    expect(await ids(log, { limit: 5, offset: 28 })).toEqual(['r1', 'r2']);
    expect(await ids(log, { limit: 5, offset: 30 })).toEqual([]);
    expect(await ids(log, { action: 'fail', offset: 4 })).toEqual(['r5', 'r10']);
    const pages: string[] = [];
    for (let offset = 0; offset < 30; offset += 7) pages.unshift(...(await ids(log, { limit: 7, offset })));
    expect(pages).toEqual(await ids(log));
  });

  it('pages back with before cursors to the same records as offsets, ring wrapped or not', async () => {
    for (const log of [filled(100), filled(4)]) {
      for (const query of [
        {},
        { taskName: 't1' },
        { action: 'fail' as const },
        { taskName: 't0', action: 'run' as const },
      ]) {
        for (const size of [1, 2, 7]) await expectCursorPagingMatchesOffsets(log, query, size);
      }
    }
    const log = filled(100);
    expect(await ids(log, { limit: 2, before: { runId: 'r10', action: 'fail' } })).toEqual(['r8', 'r9']);
    expect(await ids(log, { taskName: 't1', offset: 1, before: { runId: 'r10', action: 'fail' } })).toEqual([
      'r1',
      'r4',
    ]);
    // A record the ring dropped (or never held) has nothing before it.
    expect(await ids(filled(4), { before: { runId: 'r1', action: 'run' } })).toEqual([]);
    expect(await ids(log, { before: { runId: 'r10', action: 'run' } })).toEqual([]);
  });

  it('answers cursors written before the first cursor query and after it, as the ring drops records', async () => {
    const log = new MemoryRunLog({ perTask: 3 });
    const add = (i: number) => {
      log.append({ taskName: 't', action: 'run', created: new Date(i), runId: `r${i}` });
    };
    for (let i = 1; i <= 5; i++) add(i);
    // The index is built here, from the ring (r3..r5 kept).
    expect(await ids(log, { before: { runId: 'r5', action: 'run' } })).toEqual(['r3', 'r4']);
    expect(await ids(log, { before: { runId: 'r2', action: 'run' } })).toEqual([]);
    // Kept up to date from then on: r6 and r7 join, r3 and r4 leave.
    add(6);
    add(7);
    expect(await ids(log, { before: { runId: 'r7', action: 'run' } })).toEqual(['r5', 'r6']);
    expect(await ids(log, { before: { runId: 'r4', action: 'run' } })).toEqual([]);
  });

  it('finds each of two end records of one run as a cursor (a log written by hand)', async () => {
    const log = new MemoryRunLog();
    const actions: RunAction[] = ['run', 'fail', 'success'];
    actions.forEach((action, i) => {
      log.append({ taskName: 't', action, created: new Date(i), runId: 'r1' });
    });
    const before = async (action: RunAction) =>
      (await log.records({ before: { runId: 'r1', action } })).map((r) => r.action);
    expect(await before('run')).toEqual([]);
    expect(await before('fail')).toEqual(['run']);
    expect(await before('success')).toEqual(['run', 'fail']);
  });

  it('refuses a limit or offset that is not a whole number', async () => {
    await expect(filled(2).records({ limit: 1.5 })).rejects.toThrow(
      'MemoryRunLog: records({ limit }) must be a whole number of at least 0, got 1.5.',
    );
    await expect(filled(2).records({ offset: -1 })).rejects.toThrow(RangeError);
  });
});
