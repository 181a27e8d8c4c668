import { JobAbort } from './JobAbort';

describe('JobAbort', () => {
  it('gives a signal asked for after the abort already aborted, with the first reason', () => {
    const abort = new JobAbort();
    abort.abort('timeout');
    abort.abort('terminate');
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe('timeout');
  });

  it('aborts a signal asked for before the abort, once', () => {
    const abort = new JobAbort();
    const { signal } = abort;
    expect(signal.aborted).toBe(false);
    const reasons: unknown[] = [];
    signal.addEventListener('abort', () => reasons.push(signal.reason));
    abort.abort('terminate');
    abort.abort('again');
    expect(reasons).toEqual(['terminate']);
    expect(abort.signal).toBe(signal);
  });

  it('aborts on an abort whose reason is undefined', () => {
    const abort = new JobAbort();
    abort.abort(undefined);
    expect(abort.signal.aborted).toBe(true);
  });
});
