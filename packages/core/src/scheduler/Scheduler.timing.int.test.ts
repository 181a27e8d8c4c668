import { runFor, start } from '@apogee/test-utils';
import { Subject } from 'rxjs';
import { App, all, always, daily, every, running, type Clock } from '../index';

const T0 = new Date('2026-05-04T08:00:00Z'); // a Monday
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const forever = () => new Promise(() => undefined);

describe('sleeping', () => {
  async function idleWakeups(tasks: number): Promise<number> {
    let reads = 0;
    const clock: Clock = {
      now: () => {
        reads++;
        return Date.now();
      },
    };
    const app = new App({ clock, config: { timezone: 'UTC' } });
    for (let i = 0; i < tasks; i++) app.task({ name: `t${i}`, start: daily.at('03:00') }, () => undefined);
    const running = await start(app);
    await running.advance(1000); // let the first pass settle
    const before = reads;
    await running.advance(3_600_000);
    const during = reads - before;
    await running.stop();
    return during;
  }

  it('does no work between due times, however many tasks are waiting', async () => {
    const one = await idleWakeups(1);
    const many = await idleWakeups(2000);
    // One re-sync per minute against clock jumps (a few clock reads each), the same for 1 task or 2,000.
    expect(many).toBe(one);
    expect(many).toBeLessThanOrEqual(4 * 60);
  });

  it('keeps one timer for the whole app', async () => {
    const app = new App();
    for (let i = 0; i < 100; i++)
      app.task({ name: `t${i}`, start: every(`${i + 1} minutes` as '1 minutes') }, () => undefined);
    const running = await start(app);
    await running.advance(10);
    expect(jest.getTimerCount()).toBe(1);
    await running.stop();
  });

  it('wakes exactly when a task is due', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'at', start: daily.at('09:15') }, () => undefined);
    app.task({ name: 'always', start: all(always, running('at').not()), multilaunch: false }, forever);
    await runFor(app, 2 * 3_600_000);
    const [run] = await app.logs.records({ taskName: 'at', action: 'run' });
    expect(run?.created).toEqual(new Date('2026-05-04T09:15:00Z'));
    // Two hours of fake time are a few thousand timer turns: CPU-bound, slow on a loaded machine.
  }, 30_000);
});

describe('events', () => {
  it('builds per-run events only while someone listens, and a later listener gets the later runs', async () => {
    const app = new App();
    app.task({ name: 'tick', start: every('1 second') }, () => undefined);
    const next = jest.spyOn(Subject.prototype, 'next');
    const perRun = () =>
      next.mock.calls.filter(([e]) => typeof (e as { runId?: unknown } | undefined)?.runId === 'string');
    try {
      const run = app.run({ handleSignals: false });
      await jest.advanceTimersByTimeAsync(2500);
      expect(perRun()).toEqual([]);
      const seen: string[] = [];
      const subscription = app.events.subscribe((e) => seen.push(e.type));
      await jest.advanceTimersByTimeAsync(1000);
      subscription.unsubscribe();
      expect(seen).toEqual(['taskStarted', 'taskSucceeded']);
      await app.shutdown();
      await run;
    } finally {
      next.mockRestore();
    }
    expect((await app.logs.records({ taskName: 'tick', action: 'success' })).length).toBeGreaterThanOrEqual(
      4,
    );
  });
});

describe('timing modes', () => {
  it.each([false, true])(
    'starts runs on their instant, with one timer (preciseTiming: %s)',
    async (preciseTiming) => {
      const app = new App({ config: { timezone: 'UTC', preciseTiming } });
      app.task({ name: 'tick', start: every('1 second') }, () => undefined);
      app.task({ name: 'at', start: daily.at('08:00:02.5') }, () => undefined);
      const running = await start(app);
      await running.advance(3000);
      expect(jest.getTimerCount()).toBe(1);
      await running.stop();
      const starts = (await app.logs.records({ action: 'run' })).map(
        (r) => `${r.taskName} ${r.created.getTime() - T0.getTime()}`,
      );
      expect(starts).toEqual(['tick 0', 'tick 1000', 'tick 2000', 'at 2500', 'tick 3000']);
    },
  );
});
