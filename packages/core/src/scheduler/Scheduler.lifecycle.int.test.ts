import { runFor, start } from '@apogee/test-utils';
import { App, daily, every, schedulerCycles } from '../index';

const T0 = new Date('2026-05-04T08:00:00Z'); // a Monday
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forever = () => new Promise(() => undefined);

describe('start-up and shutdown', () => {
  it('runs start-up tasks first and shutdown tasks last, once each', async () => {
    const app = new App();
    const seen: string[] = [];
    app.task({ name: 'setup', onStartup: true }, () => seen.push('setup'));
    app.task({ name: 'work', start: every('1 minute') }, () => seen.push('work'));
    app.task({ name: 'teardown', onShutdown: true }, () => seen.push('teardown'));
    await runFor(app, 90_000);
    expect(seen).toEqual(['setup', 'work', 'work', 'teardown']);
  });

  it('waits for running runs at shutdown, but terminates permanent ones', async () => {
    const app = new App();
    app.task({ name: 'finite', start: daily }, () => sleep(5000));
    app.task({ name: 'forever', start: daily, permanent: true }, forever);
    const running = await start(app);
    await running.advance(1000);
    const stopped = app.shutdown();
    await running.advance(5000);
    await stopped;
    await running.stop();
    const actions = (await app.logs.records())
      .filter((r) => r.action !== 'run')
      .map((r) => `${r.taskName}:${r.action}`);
    expect(actions).toEqual(['forever:terminate', 'finite:success']);
  });

  it('terminates everything at once with instantShutdown', async () => {
    const app = new App({ config: { instantShutdown: true } });
    app.task({ name: 'finite', start: daily }, () => sleep(5000));
    await runFor(app, 1000);
    expect((await app.logs.records({ action: 'terminate' })).map((r) => r.error)).toEqual([
      'the scheduler shut down',
    ]);
  });

  it('stops by itself when config.shutdownWhen holds (object or string)', async () => {
    for (const shutdownWhen of [schedulerCycles({ moreThan: 2 }), 'scheduler has run over 30 seconds']) {
      const app = new App({ config: { shutdownWhen } });
      app.task({ name: 'tick', start: every('10 seconds') }, () => undefined);
      const done = app.run({ handleSignals: false });
      await jest.advanceTimersByTimeAsync(120_000);
      await expect(done).resolves.toBeUndefined();
    }
  });

  it('refuses a second concurrent run, and runs again after a stop', async () => {
    const app = new App();
    let runs = 0;
    app.task({ name: 'job', start: every('1 hour') }, () => ++runs);
    const first = app.run({ handleSignals: false });
    await expect(app.run({ handleSignals: false })).rejects.toThrow(
      /already running: app.run\(\) was called twice/,
    );
    await jest.advanceTimersByTimeAsync(10);
    await app.shutdown();
    await first;
    jest.setSystemTime(Date.now() + 3_600_000);
    const second = app.run({ handleSignals: false });
    await jest.advanceTimersByTimeAsync(10);
    await app.shutdown();
    await second;
    expect(runs).toBe(2);
  });

  it('shuts down gracefully on SIGINT and SIGTERM when app.run() owns the process', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const app = new App();
      app.task({ name: 'job', start: daily }, () => sleep(2000));
      const before = process.listenerCount(signal);
      const done = app.run();
      await jest.advanceTimersByTimeAsync(100);
      expect(process.listenerCount(signal)).toBe(before + 1);
      process.emit(signal);
      await jest.advanceTimersByTimeAsync(2000);
      await done;
      expect(process.listenerCount(signal)).toBe(before);
      expect((await app.logs.records({ action: 'success' })).map((r) => r.taskName)).toEqual(['job']);
    }
  });
});
