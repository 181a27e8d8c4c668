import { start, useFakeClock } from '@apogee/test-utils';
import { App, cron, daily, failed, succeeded } from '../../index';

// 2026-05-04, 07:00 UTC.
jest.setTimeout(60_000);
const T0 = new Date('2026-05-04T07:00:00Z');
useFakeClock(T0);

describe('a status condition restricted to a window of the period', () => {
  it('remembers a success inside the window when a later one falls outside it (Rocketry answers true)', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const ran: string[] = [];
    // 'x' succeeds at 07:20 (inside 07:00-08:00) and again at 09:00 (outside).
    app.task({ name: 'x', start: cron('20 7 * * *').or(cron('0 9 * * *')) }, () => undefined);
    app.task(
      {
        name: 'string form',
        start: "task 'x' has succeeded today between 07:00 and 08:00 & daily after 09:30",
      },
      () => ran.push('string form'),
    );
    app.task(
      {
        name: 'builder form',
        start: succeeded('x').today.between('07:00', '08:00').and(daily.after('09:30')),
      },
      () => ran.push('builder form'),
    );
    const running = await start(app);
    await running.advance(3 * 3_600_000);
    await running.stop();
    expect(
      (await app.logs.records({ taskName: 'x', action: 'success' })).map((r) => r.created.toISOString()),
    ).toEqual(['2026-05-04T07:20:00.000Z', '2026-05-04T09:00:00.000Z']);
    expect(ran.sort()).toEqual(['builder form', 'string form']);
  });

  it('does the same for failures, and is false the next day', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const ran: string[] = [];
    app.task({ name: 'x', start: cron('20 7 * * *').or(cron('0 9 * * *')) }, () => {
      throw new Error('no');
    });
    app.task({ name: 'watch', start: failed('x').today.before('08:00').and(daily.after('09:30')) }, () =>
      ran.push(new Date().toISOString()),
    );
    const running = await start(app);
    await running.advance(3 * 3_600_000);
    expect(ran).toEqual(['2026-05-04T09:30:00.000Z']);
    await running.stop();
  });
});
