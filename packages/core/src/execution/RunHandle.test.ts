import { RunHandle } from './RunHandle';

describe('RunHandle.done', () => {
  it('resolves when the run settles after it was asked for', async () => {
    const run = new RunHandle('t', 'r1', 0);
    let resolved = false;
    const done = run.done.then(() => {
      resolved = true;
    });
    await Promise.resolve();
    expect(resolved).toBe(false);
    expect(run.settle()).toBe(true);
    await done;
    expect(resolved).toBe(true);
  });

  it('is already resolved when asked for after the run settled', async () => {
    const run = new RunHandle('t', 'r2', 0);
    run.settle();
    await expect(run.done).resolves.toBeUndefined();
    expect(run.settle()).toBe(false);
  });

  it('is the same promise each time', () => {
    const run = new RunHandle('t', 'r3', 0);
    expect(run.done).toBe(run.done);
  });
});

describe('RunHandle.abort', () => {
  it('tells onAbort once, with the first reason, without making a signal', () => {
    const run = new RunHandle('t', 'r4', 0);
    const heard: unknown[] = [];
    run.onAbort = (reason) => heard.push(reason);
    run.abort('first');
    run.abort('second');
    expect(heard).toEqual(['first']);
    // The signal asked for afterwards is aborted with the same reason.
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBe('first');
  });

  it('aborts a signal asked for before, once, with the first reason', () => {
    const run = new RunHandle('t', 'r5', 0);
    const reasons: unknown[] = [];
    run.signal.addEventListener('abort', () => reasons.push(run.signal.reason));
    run.abort('first');
    run.abort('second');
    expect(reasons).toEqual(['first']);
  });
});
