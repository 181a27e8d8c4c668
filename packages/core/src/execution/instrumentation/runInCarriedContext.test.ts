import { runInCarriedContext } from './runInCarriedContext';

const carried = { module: '/instr/worker.js', carrier: { traceparent: 'tp' } };

describe('runInCarriedContext', () => {
  it('runs the task inside the module’s runInContext, with the carrier', async () => {
    const seen: string[] = [];
    const runInContext = <T>(carrier: Record<string, string>, fn: () => T): T => {
      seen.push(`enter ${carrier.traceparent ?? ''}`);
      const value = fn();
      seen.push('leave');
      return value;
    };
    const warn = jest.fn();
    const value = await runInCarriedContext(
      carried,
      () => Promise.resolve({ runInContext }),
      warn,
      () => {
        seen.push('task');
        return 42;
      },
    );
    expect(value).toBe(42);
    expect(seen).toEqual(['enter tp', 'task', 'leave']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('runs the task as is when no context was carried, without loading anything', async () => {
    const load = jest.fn();
    await expect(runInCarriedContext(undefined, load, jest.fn(), () => 'v')).resolves.toBe('v');
    expect(load).not.toHaveBeenCalled();
  });

  it.each([
    ['cannot be loaded', () => Promise.reject(new Error('ENOENT')), 'could not be loaded (ENOENT)'],
    ['exports no runInContext', () => Promise.resolve({}), 'does not export a function runInContext'],
    [
      'throws before calling the task',
      () =>
        Promise.resolve({
          runInContext: () => {
            throw new Error('no SDK');
          },
        }),
      'failed (no SDK)',
    ],
  ])('warns and runs the task without the context when the module %s', async (_, load, why) => {
    const warn = jest.fn<undefined, [string]>();
    await expect(runInCarriedContext(carried, load, warn, () => 'ran')).resolves.toBe('ran');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain(`/instr/worker.js ${why}`);
    expect(warn.mock.calls[0]?.[0]).toContain('goes on without its trace context');
  });

  it('lets the task’s own throw be the run’s, not a warning', async () => {
    const warn = jest.fn();
    const runInContext = <T>(_: unknown, fn: () => T): T => fn();
    const task = (): never => {
      throw new Error('task failed');
    };
    await expect(
      runInCarriedContext(carried, () => Promise.resolve({ runInContext }), warn, task),
    ).rejects.toThrow('task failed');
    expect(warn).not.toHaveBeenCalled();
  });
});
