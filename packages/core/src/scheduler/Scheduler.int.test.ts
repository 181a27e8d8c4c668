import 'reflect-metadata';
import { runFor, start } from '@apogee/test-utils';
import { Subject } from 'rxjs';
import {
  App,
  Signal,
  Task,
  TaskInaction,
  all,
  always,
  cron,
  daily,
  every,
  never,
  running,
  schedulerCycles,
  timeOfDay,
  when,
  type Clock,
} from '../index';

const T0 = new Date('2026-05-04T08:00:00Z'); // a Monday
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const forever = () => new Promise(() => undefined);

describe('order', () => {
  it('starts higher priority first, and equal priorities in registration order', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const order: string[] = [];
    for (const [name, priority] of [
      ['low', 0],
      ['high', 10],
      ['mid-a', 5],
      ['mid-b', 5],
    ] as const) {
      app.task({ name, priority, start: daily }, () => {
        order.push(name);
      });
    }
    await runFor(app, 10);
    expect(order).toEqual(['high', 'mid-a', 'mid-b', 'low']);
  });

  it('does not start a task while it runs, unless multilaunch', async () => {
    const app = new App();
    app.task({ name: 'single', start: every('1 second') }, () => sleep(3500));
    app.task({ name: 'multi', start: every('1 second'), multilaunch: true }, () => sleep(3500));
    await runFor(app, 4000);
    const single = await app.logs.records({ taskName: 'single', action: 'run' });
    const multi = await app.logs.records({ taskName: 'multi', action: 'run' });
    expect(single.map((r) => r.created.getTime() - T0.getTime())).toEqual([0, 3500]);
    expect(multi.map((r) => r.created.getTime() - T0.getTime())).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(new Set(multi.map((r) => r.runId)).size).toBe(5);
  });

  it("blocks the loop for 'main' execution until the run ends", async () => {
    const app = new App();
    const starts: [string, number][] = [];
    app.task({ name: 'blocking', priority: 1, start: daily, execution: 'main' }, async () => {
      starts.push(['blocking', Date.now()]);
      await sleep(5000);
    });
    app.task({ name: 'other', start: daily }, () => {
      starts.push(['other', Date.now()]);
    });
    await runFor(app, 6000);
    expect(starts).toEqual([
      ['blocking', T0.getTime()],
      ['other', T0.getTime() + 5000],
    ]);
  });
});

describe('termination', () => {
  it('terminates running runs when the end condition becomes true', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    let aborted = false;
    class Jobs {
      @Task({ start: daily, end: timeOfDay.after('08:00:30') })
      async long(@Signal() signal: AbortSignal) {
        signal.addEventListener('abort', () => (aborted = true));
        await sleep(3_600_000);
      }
    }
    app.register(Jobs);
    const running = await runFor(app, 60_000);
    expect(aborted).toBe(true);
    const [record] = await app.logs.records({ taskName: 'long', action: 'terminate' });
    expect(record?.created).toEqual(new Date('2026-05-04T08:00:30Z'));
    expect(record?.error).toBe('its end condition became true');
    expect(running.types()).toEqual([
      'schedulerStarted',
      'taskStarted:long',
      'taskTerminated:long',
      'schedulerStopped',
    ]);
  });

  it('terminates with task.terminate(), and a timeout from the config applies to every task', async () => {
    const app = new App({ config: { timeout: '10 seconds' } });
    const a = app.task({ name: 'a', start: daily }, () => sleep(60_000));
    app.task({ name: 'b', start: daily }, () => sleep(60_000));
    const running = await start(app);
    await running.advance(1000);
    a.terminate();
    await running.advance(10_000);
    await running.stop();
    const terminated = await app.logs.records({ action: 'terminate' });
    expect(terminated.map((r) => [r.taskName, r.runtime])).toEqual([
      ['a', 1000],
      ['b', 10_000],
    ]);
    expect(String(terminated[1]?.error)).toContain('TaskTimeoutError');
  });
});

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

describe('failures', () => {
  it('records TaskInaction as inaction, which counts as done for daily', async () => {
    const app = new App();
    let calls = 0;
    app.task({ name: 'idle', start: daily }, () => {
      calls++;
      throw new TaskInaction('nothing new');
    });
    await runFor(app, 3_600_000);
    expect(calls).toBe(1);
    expect(app.session.get('idle').status).toBe('inaction');
  });

  it('treats a throwing condition as false, reports it, and goes on', async () => {
    const app = new App();
    let checks = 0;
    app.cond({ name: 'flaky' }, () => {
      checks++;
      if (checks === 1) throw new Error('sensor offline');
      return true;
    });
    app.task({ name: 'guarded', start: 'flaky & every 1 hour' }, () => 'ran');
    app.task({ name: 'other', start: every('1 second') }, () => undefined);
    const running = await runFor(app, 3000);
    const failed = running.events.find((e) => e.type === 'conditionFailed');
    expect(failed).toMatchObject({ type: 'conditionFailed', taskName: 'guarded' });
    expect(String((failed as { error: unknown }).error)).toContain('sensor offline');
    expect(app.session.returns.get('guarded')).toBe('ran');
    expect((await app.logs.records({ taskName: 'other', action: 'success' })).length).toBe(4);
  });
});

describe('when(observable$)', () => {
  it('runs once per emission with the emitted object as batch parameters, losing none while busy', async () => {
    const requests$ = new Subject<{ user: string }>();
    const app = new App();
    const users: string[] = [];
    app.task(
      { name: 'report', start: when(requests$), inject: [(await import('../index')).Arg('user')] },
      async (user: string) => {
        users.push(user);
        await sleep(1000);
      },
    );
    const running = await start(app);
    requests$.next({ user: 'ada' });
    requests$.next({ user: 'grace' });
    requests$.next({ user: 'alan' });
    await running.advance(5000);
    await running.stop();
    expect(users).toEqual(['ada', 'grace', 'alan']);
  });

  it('inside all(...), an emission waits until the rest is true', async () => {
    const events$ = new Subject<object>();
    const app = new App({ config: { timezone: 'UTC' } });
    let runs = 0;
    app.task({ name: 'office', start: all(when(events$), timeOfDay.after('09:00')) }, () => ++runs);
    const running = await start(app);
    events$.next({});
    await running.advance(30 * 60_000);
    expect(runs).toBe(0);
    await running.advance(30 * 60_000);
    expect(runs).toBe(1);
    await running.stop();
  });
});

describe('custom conditions', () => {
  it('are polled every second by default, or at their own interval', async () => {
    const checks = { fast: 0, slow: 0 };
    const app = new App();
    app.cond({ name: 'fast' }, () => {
      checks.fast++;
      return false;
    });
    app.cond({ name: 'slow', poll: '10 seconds' }, () => {
      checks.slow++;
      return false;
    });
    app.task({ name: 'a', start: 'fast' }, () => undefined);
    app.task({ name: 'b', start: 'slow' }, () => undefined);
    await runFor(app, 60_000);
    expect(checks).toEqual({ fast: 61, slow: 7 });
  });

  it('are not polled while the rest of an all(...) before them is false', async () => {
    let checks = 0;
    const app = new App({ config: { timezone: 'UTC' } });
    app.cond({ name: 'probe' }, () => {
      checks++;
      return true;
    });
    app.task({ name: 'later', start: 'time of day after 09:00 & probe' }, () => undefined);
    await runFor(app, 30 * 60_000);
    expect(checks).toBe(0);
  });
});

describe('cron', () => {
  it('shares one parsed pattern per distinct expression', () => {
    const app = new App();
    const scheduler = app['scheduler'];
    expect(scheduler.cron('0 3 * * *')).toBe(scheduler.cron('0 3 * * *'));
    expect(scheduler.cron('0 3 * * *')).not.toBe(scheduler.cron('0 4 * * *'));
  });
});

describe('what runs next', () => {
  it('predicts the next run of time conditions, and not of those that depend on others', () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const nightly = app.task({ name: 'nightly', start: daily.at('03:00') }, () => undefined);
    const cronned = app.task({ name: 'cronned', start: cron('30 9 * * *') }, () => undefined);
    app.task({ name: 'ticker', start: every('20 minutes') }, () => undefined);
    const follower = app.task({ name: 'follower', start: "after task 'nightly'" }, () => undefined);
    const manual = app.task({ name: 'manual', start: never }, () => undefined);
    expect(nightly.nextRun()).toEqual(new Date('2026-05-05T03:00:00Z'));
    expect(cronned.nextRun()).toEqual(new Date('2026-05-04T09:30:00Z'));
    expect(follower.nextRun()).toBeUndefined();
    expect(manual.nextRun()).toBeUndefined();
    manual.run();
    expect(manual.nextRun()).toEqual(T0);
    expect(app.session.upcoming(5).map((u) => `${u.taskName} ${u.at.toISOString().slice(11, 16)}`)).toEqual([
      'ticker 08:00',
      'manual 08:00',
      'ticker 08:20',
      'ticker 08:40',
      'ticker 09:00',
    ]);
  });
});

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
  });
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
