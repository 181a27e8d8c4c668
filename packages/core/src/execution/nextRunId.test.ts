import { nextRunId, runIdPrefix } from './nextRunId';

describe('nextRunId', () => {
  it('never repeats an id in a process, and all share the process prefix', () => {
    const ids = Array.from({ length: 10_000 }, () => nextRunId());
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = new Set(ids.map((id) => id.slice(0, id.lastIndexOf('-'))));
    expect(prefixes.size).toBe(1);
    expect([...prefixes][0]).toMatch(/^r[A-Za-z0-9_-]{12}$/);
  });

  it('starts with a letter even when the random bytes encode to a leading dash', () => {
    // 0xf8: the first six bits are 62, which base64url writes as '-'.
    const bytes = Uint8Array.from([0xf8, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Buffer.from(bytes).toString('base64url')).toMatch(/^-/);
    expect(runIdPrefix(bytes)).toMatch(/^r-/);
    expect(runIdPrefix(bytes)).toMatch(/^[A-Za-z]/);
  });
});
