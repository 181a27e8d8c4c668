import { MemoryRunLog } from '@apogee/core';
import { recordsBack } from './recordsBack';

function logWith(n: number): MemoryRunLog {
  const log = new MemoryRunLog({ perTask: 10_000 });
  for (let i = 0; i < n; i++)
    log.append({ taskName: 't', action: 'run', created: new Date(i * 1000), runId: `r${String(i)}` });
  return log;
}

describe('recordsBack', () => {
  it('walks a task from its newest record back, across pages, to the oldest', async () => {
    const seen: string[] = [];
    const read = await recordsBack(logWith(2500), 't', 100_000, (r) => {
      seen.push(r.runId);
      return true;
    });
    expect([read.read, read.oldest?.runId]).toEqual([2500, 'r0']);
    expect(seen.slice(0, 2)).toEqual(['r2499', 'r2498']);
    expect(seen.at(-1)).toBe('r0');
    expect(new Set(seen).size).toBe(2500);
  });

  it('stops when the visitor says so, and at the budget', async () => {
    const seen: string[] = [];
    await recordsBack(logWith(2500), 't', 100_000, (r) => {
      seen.push(r.runId);
      return r.runId !== 'r1200';
    });
    expect(seen).toHaveLength(1300);
    let visited = 0;
    const read = await recordsBack(logWith(2500), 't', 1500, () => {
      visited++;
      return true;
    });
    expect([read.read, read.oldest?.runId, visited]).toEqual([1500, 'r1000', 1500]);
  });
});
