import { runFor, start } from '@apogee/test-utils';
import { Subject } from 'rxjs';
import { App, all, cron, daily, every, never, timeOfDay, when } from '../index';

const T0 = new Date('2026-05-04T08:00:00Z'); // a Monday
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
