import { captureError, start } from '@apogee/test-utils';
import { App, ConfigurationError, Task, cron, daily } from '../../index';

jest.setTimeout(60_000);
afterEach(() => {
  jest.useRealTimers();
});

const runsOf = async (app: App, name: string): Promise<string[]> =>
  (await app.logs.records({ taskName: name, action: 'run' })).map((r) => r.created.toISOString());

describe('daylight saving for cron', () => {
  it("fires cron('30 3 * * *') at the jump on the spring-forward day, as daily.at('03:30') does", async () => {
    // 2026-03-29 in Helsinki: clocks go from 03:00 straight to 04:00 (01:00 UTC).
    jest.useFakeTimers({ now: new Date('2026-03-28T22:00:00Z') });
    const app = new App({ config: { timezone: 'Europe/Helsinki' } });
    app.task({ name: 'cron', start: cron('30 3 * * *') }, () => undefined);
    app.task({ name: 'daily', start: daily.at('03:30') }, () => undefined);
    const running = await start(app);
    await running.advance(24 * 3_600_000);
    await running.stop();
    expect(await runsOf(app, 'daily')).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(await runsOf(app, 'cron')).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(app.session.get('cron').nextRun()?.toISOString()).toBe('2026-03-30T00:30:00.000Z');
  });
});

describe('timezone per task', () => {
  it("reads the task's cron and periods in its own zone, overriding config.timezone", async () => {
    jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z') });
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'utc', start: cron('0 9 * * *') }, () => undefined);
    app.task({ name: 'ny', start: cron('0 9 * * *'), timezone: 'America/New_York' }, () => undefined);
    app.task({ name: 'tokyo', start: daily.at('09:00'), timezone: 'Asia/Tokyo' }, () => undefined);
    class Reports {
      @Task({ start: "daily & task 'ny' has started today", timezone: 'America/New_York' })
      afterNy() {}
    }
    app.register(Reports);
    const running = await start(app);
    await running.advance(23 * 3_600_000);
    await running.stop();
    expect(await runsOf(app, 'utc')).toEqual(['2026-06-01T09:00:00.000Z']);
    // 09:00 in New York (UTC-4 in summer) is 13:00 UTC; 09:00 in Tokyo (UTC+9) is 00:00 UTC.
    expect(await runsOf(app, 'ny')).toEqual(['2026-06-01T13:00:00.000Z']);
    expect(await runsOf(app, 'tokyo')).toEqual(['2026-06-01T00:00:00.000Z']);
    // "today" in New York, where the day began at 04:00 UTC.
    expect(await runsOf(app, 'afterNy')).toEqual(['2026-06-01T13:00:00.000Z']);
  });

  it('refuses an unknown zone with a ConfigurationError naming the task', () => {
    class Jobs {
      @Task({ start: cron('0 9 * * *'), timezone: 'Mars/Olympus_Mons' })
      report() {}
    }
    const error = captureError(() => new App().register(Jobs));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ taskName: 'report' });
    expect((error as Error).message).toContain(
      'Task "report" (Jobs.report) timezone: "Mars/Olympus_Mons" is not valid',
    );
    expect(() => new App().task({ name: 'x', timezone: 'Nowhere/Land' }, () => undefined)).toThrow(
      /Task "x" \(x\) timezone: "Nowhere\/Land" is not valid/,
    );
  });
});
