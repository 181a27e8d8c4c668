import { App, ScheduledAt, cron, daily, every, type Catchup } from '@apogee/core';
import { runFor, useFakeClock } from '@apogee/test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';

// Real files under fake time: the catch-up cases take ~3.7 s on a quiet machine (as before the
// fault work), more beside busy sessions.
jest.setTimeout(30_000);

let dir: string;
let file: string;
const logs: SqliteRunLog[] = [];

useFakeClock(new Date('2026-05-04T08:00:30Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-policies-'));
  file = join(dir, 'runs.db');
  // 08:00:30, inside the 08:00 slot of an hourly cron.
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One "process": a fresh app on the same file, run for `ms` of fake time. */
async function session(ms: number, build: (app: App) => void): Promise<App> {
  const log = new SqliteRunLog(file);
  logs.push(log);
  const app = new App({ log, config: { timezone: 'UTC' } });
  build(app);
  await runFor(app, ms);
  return app;
}

const iso = (d: Date): string => d.toISOString().slice(0, 16);

/** An hourly report that notes the hour each run was for. */
function hourly(seen: string[], catchup?: Catchup, catchupWindow?: '1 day' | '3 hours') {
  return (app: App): void => {
    app.task(
      {
        name: 'hourly',
        start: cron('0 * * * *'),
        inject: [ScheduledAt()],
        ...(catchup === undefined ? {} : { catchup }),
        ...(catchupWindow === undefined ? {} : { catchupWindow }),
      },
      (at: Date) => {
        seen.push(`${iso(new Date())} for ${iso(at)}`);
      },
    );
  };
}

describe('catchup after a restart (SQLite log)', () => {
  it.each<[Catchup | undefined, string[]]>([
    [undefined, []],
    ['latest', ['2026-05-04T13:00 for 2026-05-04T12:00']],
    [
      'all',
      [
        '2026-05-04T13:00 for 2026-05-04T09:00',
        '2026-05-04T13:00 for 2026-05-04T10:00',
        '2026-05-04T13:00 for 2026-05-04T11:00',
        '2026-05-04T13:00 for 2026-05-04T12:00',
      ],
    ],
  ])(
    'catchup %s: runs for the missed instants, oldest first, before the regular schedule',
    async (catchup, missed) => {
      const seen: string[] = [];
      await session(1000, hourly(seen, catchup));
      expect(seen).toEqual(['2026-05-04T08:00 for 2026-05-04T08:00']);
      seen.length = 0;
      // Down from 08:00:31 to 13:00:10 (past 13:00:00, inside its slot): 09:00 to 12:00 were missed.
      jest.setSystemTime(new Date('2026-05-04T13:00:10Z'));
      const app = await session(60 * 60_000, hourly(seen, catchup));
      // The slot open at the restart (13:00) keeps its own run, after the catch-up runs.
      expect(seen).toEqual([
        ...missed,
        '2026-05-04T13:00 for 2026-05-04T13:00',
        '2026-05-04T14:00 for 2026-05-04T14:00',
      ]);
      // The instant is on the run record, and comes back from the file.
      const records = await app.logs.records({ taskName: 'hourly', action: 'run' });
      const reopened = new SqliteRunLog(file);
      logs.push(reopened);
      expect(
        (await reopened.records({ taskName: 'hourly', action: 'run' })).map((r) => r.scheduledAt),
      ).toEqual(records.map((r) => r.scheduledAt));
      if (catchup === 'all') expect(records[1]?.scheduledAt).toEqual(new Date('2026-05-04T09:00:00Z'));
    },
  );

  it('keeps to catchupWindow', async () => {
    const seen: string[] = [];
    await session(1000, hourly(seen, 'all', '3 hours'));
    seen.length = 0;
    jest.setSystemTime(new Date('2026-05-04T13:00:10Z'));
    await session(1000, hourly(seen, 'all', '3 hours'));
    expect(seen).toEqual([
      '2026-05-04T13:00 for 2026-05-04T11:00',
      '2026-05-04T13:00 for 2026-05-04T12:00',
      '2026-05-04T13:00 for 2026-05-04T13:00',
    ]);
  });

  it('misses nothing on an empty log (the first start) nor for a task that never ran', async () => {
    const seen: string[] = [];
    jest.setSystemTime(new Date('2026-05-04T08:30:00Z'));
    await session(1000, hourly(seen, 'all'));
    expect(seen).toEqual([]);
  });

  it('leaves periods and every to their Rocketry meaning: once after downtime', async () => {
    const seen: string[] = [];
    const build = (app: App): void => {
      app.task({ name: 'daily', start: daily }, () => {
        seen.push('daily');
      });
      app.task({ name: 'poll', start: every('10 minutes') }, () => {
        seen.push('poll');
      });
    };
    await session(1000, build);
    jest.setSystemTime(new Date('2026-05-05T13:00:00Z'));
    await session(1000, build);
    expect(seen).toEqual(['daily', 'poll', 'daily', 'poll']);
  });
});

describe('pause after a restart (SQLite log)', () => {
  it('keeps a task disabled by disable() or pauseAfterFailures, over the option in code, until enable()', async () => {
    let runs = 0;
    const build = (app: App): void => {
      app.task({ name: 'flaky', start: every('1 second'), pauseAfterFailures: 2 }, () => {
        runs++;
        throw new Error('down');
      });
      app.task({ name: 'quiet', start: every('1 second') }, () => undefined);
    };
    const first = await session(5000, (app) => {
      build(app);
      app.session.get('quiet').disable();
    });
    expect(runs).toBe(2);
    expect(first.session.get('flaky').disabled).toBe(true);
    const second = await session(5000, build);
    expect(runs).toBe(2);
    expect(second.session.get('flaky').disabled).toBe(true);
    expect(second.session.get('quiet').disabled).toBe(true);
    expect(await second.logs.records({ taskName: 'quiet', action: 'run' })).toEqual([]);
    const third = await session(1500, (app) => {
      build(app);
      app.session.get('flaky').enable();
    });
    // Enabled: two more failures in a row (the count restarted from zero), then paused again.
    expect(runs).toBe(4);
    expect(third.session.get('flaky').disabled).toBe(true);
  });
});
