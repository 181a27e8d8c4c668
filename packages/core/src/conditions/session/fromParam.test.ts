import { captureError, start, useFakeClock } from '@apogee/test-utils';
import {
  App,
  ConditionSyntaxError,
  MissingParameterError,
  always,
  every,
  fromParam,
  never,
} from '../../index';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

const runs = async (app: App, name: string): Promise<number> =>
  (await app.logs.records({ taskName: name, action: 'run' })).length;

describe('fromParam', () => {
  it('takes the schedule from the session parameter, as a string or a Condition', async () => {
    const app = new App({ params: { often: 'every 10 seconds', rarely: every('1 minute') } });
    app.task({ name: 'often', start: fromParam('often') }, () => undefined);
    app.task({ name: 'rarely', start: fromParam('rarely') }, () => undefined);
    const running = await start(app);
    await running.advance(60_000);
    await running.stop();
    expect(await runs(app, 'often')).toBe(7);
    expect(await runs(app, 'rarely')).toBe(2);
  });

  it('follows app.params while running, and wakes a task that was sleeping on the old schedule', async () => {
    const app = new App({ params: { schedule: 'every 1 hour' } });
    app.task({ name: 'job', start: fromParam('schedule') }, () => undefined);
    const running = await start(app);
    await running.advance(1000);
    expect(await runs(app, 'job')).toBe(1);
    app.params({ schedule: 'every 10 seconds' });
    await running.advance(25_000);
    await running.stop();
    // Runs at 0 s, then 10 s and 20 s; left asleep on the old schedule it would not run before 1 h.
    expect(await runs(app, 'job')).toBe(3);
  });

  it('rejects a string that does not parse in that app.params call, keeping the previous schedule', async () => {
    const app = new App({ params: { schedule: 'every 10 seconds' } });
    app.task({ name: 'job', start: fromParam('schedule') }, () => undefined);
    const running = await start(app);
    const error = captureError(() => app.params({ schedule: 'evry 5 seconds', other: 1 }));
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect(error).toMatchObject({ taskName: 'job', key: 'schedule', input: 'evry 5 seconds' });
    expect((error as Error).message).toMatch(
      /^In the task "job", start condition, session parameter "schedule" \(fromParam\('schedule'\)\): Cannot parse/,
    );
    await running.advance(30_500);
    await running.stop();
    expect(await runs(app, 'job')).toBe(4);
  });

  it('fails app.run() with MissingParameterError when the parameter is absent', async () => {
    const app = new App();
    app.task({ name: 'job', start: fromParam('schedule') }, () => undefined);
    const error = await app.run({ handleSignals: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingParameterError);
    expect((error as Error).message).toContain('"schedule"');
    expect((error as Error).message).toContain('task "job"');
    // Only the session level is read: the fix says how to set it there, not per run.
    expect((error as Error).message).toContain('Fix: set it for the session with app.params({ schedule })');
    expect((error as Error).message).not.toContain('task.run(');
  });

  it('fails app.run() with ConditionSyntaxError for a bad string set before the task was registered', async () => {
    const app = new App({ params: { schedule: 'daily betwen 08:00 and 09:00' } });
    app.task({ name: 'job', start: fromParam('schedule') }, () => undefined);
    const error = await app.run({ handleSignals: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect((error as Error).message).toContain(`session parameter "schedule"`);
  });

  it('follows another task named in the parameter, though the scheduler could not index it', async () => {
    const app = new App({ params: { schedule: "after task 'fetch'" } });
    app.task({ name: 'fetch', start: 'every 1 minute' }, () => undefined);
    app.task({ name: 'report', start: fromParam('schedule') }, () => undefined);
    const running = await start(app);
    await running.advance(125_000);
    await running.stop();
    expect(await runs(app, 'fetch')).toBe(3);
    expect(await runs(app, 'report')).toBe(3);
  });

  it('parses custom condition names in the parameter', async () => {
    const app = new App({ params: { schedule: "is open & after task 'fetch'" } });
    app.cond({ name: 'is open' }, () => true);
    app.task({ name: 'fetch', start: 'every 1 minute' }, () => undefined);
    app.task({ name: 'report', start: fromParam('schedule') }, () => undefined);
    const running = await start(app);
    await running.advance(65_000);
    await running.stop();
    expect(await runs(app, 'fetch')).toBe(2);
    expect(await runs(app, 'report')).toBe(2);
  });

  it('works as an end condition, re-read when app.params changes it', async () => {
    const app = new App({ params: { stop: always } });
    app.task(
      { name: 'long', start: every('1 minute'), end: fromParam('stop') },
      () => new Promise((resolve) => setTimeout(resolve, 30_000)),
    );
    const running = await start(app);
    await running.advance(1000);
    app.params({ stop: never });
    await running.advance(60_000 + 31_000);
    await running.stop();
    const ends = await app.logs.records({ taskName: 'long' });
    expect(ends.filter((r) => r.action !== 'run').map((r) => r.action)).toEqual(['terminate', 'success']);
  });
  it('predicts runs through the schedule the parameter holds: nextRun(), upcoming()', async () => {
    const app = new App({
      config: { timezone: 'UTC' },
      params: { often: 'every 10 minutes', nightly: 'daily at 03:00', other: "after task 'often'" },
    });
    app.task({ name: 'often', start: fromParam('often') }, () => undefined);
    app.task({ name: 'nightly', start: fromParam('nightly') }, () => undefined);
    app.task({ name: 'follower', start: fromParam('other') }, () => undefined);
    const running = await start(app);
    await running.advance(1000);
    expect(app.session.get('often').nextRun()).toEqual(new Date('2026-03-02T12:10:00Z'));
    expect(app.session.get('often').nextRun()).toEqual(app.session.get('often').explain().next);
    expect(app.session.get('nightly').nextRun()).toEqual(new Date('2026-03-03T03:00:00Z'));
    // Another task's run cannot be predicted, whether written in code or in a parameter.
    expect(app.session.get('follower').nextRun()).toBeUndefined();
    expect(app.session.upcoming(3)).toEqual([
      { taskName: 'often', at: new Date('2026-03-02T12:10:00Z') },
      { taskName: 'often', at: new Date('2026-03-02T12:20:00Z') },
      { taskName: 'often', at: new Date('2026-03-02T12:30:00Z') },
    ]);
    app.params({ often: 'every 1 day' });
    expect(app.session.upcoming(2).map((r) => r.taskName)).toEqual(['nightly', 'often']);
    await running.stop();
  });
});
