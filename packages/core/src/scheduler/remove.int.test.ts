import { start } from '@apogee/test-utils';
import { App, ApogeeError, Signal, UnknownTaskError, afterSuccess, every, when } from '../index';
import { Subject } from 'rxjs';

const T0 = Date.parse('2026-05-04T12:00:00Z');
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('task.remove()', () => {
  it('takes the task out at run time: its live run finishes, its history stays, the name is free again', async () => {
    const app = new App();
    const task = app.task({ name: 'sync', start: every('1 minute') }, () => sleep(30_000));
    app.task({ name: 'after', start: afterSuccess('sync') }, () => undefined);
    const running = await start(app);
    await running.advance(70_000); // runs at 0 s and 60 s; the second is live
    let removed = false;
    const removing = task.remove().then(() => {
      removed = true;
    });
    expect(app.session.tasks.map((t) => t.name)).toEqual(['after']);
    expect(() => app.session.get('sync')).toThrow(UnknownTaskError);
    await running.advance(10_000);
    expect(removed).toBe(false);
    await running.advance(20_000);
    await removing;
    const actions = async () => (await app.logs.records({ taskName: 'sync' })).map((r) => r.action);
    expect(await actions()).toEqual(['run', 'success', 'run', 'success']);
    // It starts no more, and a run asked of the old object is refused with the reason.
    await running.advance(5 * 60_000);
    expect(await actions()).toHaveLength(4);
    expect(() => task.run()).toThrow(ApogeeError);
    expect(() => task.run()).toThrow('Task "sync" was removed (task.remove())');
    expect(task.removed).toBe(true);

    // The name is free: the new task starts from the state the log keeps.
    const again = app.task({ name: 'sync', start: every('1 minute') }, () => 'v2');
    await running.advance(1000);
    expect(app.session.get('sync')).toBe(again);
    expect((await app.logs.records({ taskName: 'sync', action: 'success' })).at(-1)?.returnValue).toBe('v2');
    const types = running.types();
    await running.stop();
    expect(types.filter((t) => t === 'taskStarted:sync')).toHaveLength(3);
  });

  it('terminates its live run with config.instantShutdown, and drops queued runs and emissions', async () => {
    const app = new App({ config: { instantShutdown: true } });
    const source = new Subject<{ n: number }>();
    const task = app.task(
      { name: 'slow', start: when(source), inject: [Signal()] },
      (signal: AbortSignal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', resolve);
        }),
    );
    const running = await start(app);
    source.next({ n: 1 });
    await running.advance(0);
    task.run({ n: 2 });
    source.next({ n: 3 });
    expect(task.isRunning).toBe(true);
    await task.remove();
    source.next({ n: 4 });
    await running.advance(60_000);
    await running.stop();
    const records = await app.logs.records({ taskName: 'slow' });
    expect(records.map((r) => [r.action, r.parameters])).toEqual([
      ['run', { n: 1 }],
      ['terminate', { n: 1 }],
    ]);
    expect(String(records[1]?.error)).toContain('the task was removed');
    expect(source.observed).toBe(false);
  });
});
