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

describe('StoreWarnings.failed', () => {
  it('prints one line per operation and reason per minute, and keeps the last failure', () => {
    let now = 1_000;
    const lines: [string, string][] = [];
    const warnings = new StoreWarnings(
      '@apogee/redis "a"',
      () => now,
      (message, code) => lines.push([message, code]),
    );
    expect(warnings.lastFailure).toBeUndefined();
    const oom = new Error('OOM command not allowed');
    warnings.failed('renew the leader lease', oom, 'It tries again.');
    warnings.failed('renew the leader lease', oom, 'It tries again.');
    now = 2_000;
    warnings.failed('store run records', oom, 'Kept in memory.', {
      detail: 'store a "run" record of task "t"',
    });
    expect(warnings.lastFailure).toEqual({
      operation: 'store a "run" record of task "t"',
      message: 'OOM command not allowed',
      at: new Date(2_000),
    });
    now = 61_000;
    warnings.failed('renew the leader lease', oom, 'It tries again.');
    expect(lines).toEqual([
      [
        'Apogee: @apogee/redis "a" could not renew the leader lease: OOM command not allowed. It tries again.',
        'APOGEE_STORE_FAILED',
      ],
      [
        expect.stringContaining('could not store a "run" record of task "t"') as unknown,
        'APOGEE_STORE_FAILED',
      ],
      [
        expect.stringMatching(/lease: OOM .*\(1 more like it in the last minute\)$/) as unknown,
        'APOGEE_STORE_FAILED',
      ],
    ]);
  });
});
