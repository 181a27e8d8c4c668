import { StoreWarnings } from './StoreWarnings';

describe('StoreWarnings', () => {
  it('prints one line per cause per minute, then counts the ones in between', () => {
    let now = 0;
    const lines: string[] = [];
    const warnings = new StoreWarnings(
      '@apogee/redis "a"',
      () => now,
      (message) => lines.push(message),
    );
    warnings.skip('k:1', 'a run record', 'is not valid JSON');
    warnings.skip('k:2', 'a run record', 'is not valid JSON');
    warnings.skip('k:3', 'a run record', 'is not valid JSON');
    warnings.skip('s:t', 'a task state', 'is not valid JSON');
    now = 60_000;
    warnings.skip('k:4', 'a run record', 'is not valid JSON');
    expect(lines).toEqual([
      expect.stringContaining('skipped a run record at k:1: is not valid JSON'),
      expect.stringContaining('skipped a task state at s:t'),
      expect.stringMatching(/at k:4: .*\(2 more like it in the last minute\)$/),
    ]);
  });
});
