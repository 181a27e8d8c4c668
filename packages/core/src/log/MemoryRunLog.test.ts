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

  it('refuses a limit or offset that is not a whole number', async () => {
    await expect(filled(2).records({ limit: 1.5 })).rejects.toThrow(
      'MemoryRunLog: records({ limit }) must be a whole number of at least 0, got 1.5.',
    );
    await expect(filled(2).records({ offset: -1 })).rejects.toThrow(RangeError);
  });
});
