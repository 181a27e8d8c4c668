import { nextRunId } from './nextRunId';

describe('nextRunId', () => {
  it('never repeats an id in a process, and all share the process prefix', () => {
    const ids = Array.from({ length: 10_000 }, () => nextRunId());
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = new Set(ids.map((id) => id.slice(0, id.lastIndexOf('-'))));
    expect(prefixes.size).toBe(1);
    expect([...prefixes][0]).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
