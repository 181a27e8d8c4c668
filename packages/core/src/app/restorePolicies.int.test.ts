import { runFor, useFakeClock } from '@apogee/test-utils';
import {
  App,
  MemoryRunLog,
  cron,
  type RestoredTask,
  type RunLog,
  type RunQuery,
  type RunRecord,
} from '../index';

useFakeClock(new Date('2026-05-04T08:00:30Z'));

/** A persistent log stand-in: it restores the last run it was given, as SQLite or Redis would. */
class RestoringLog implements RunLog {
  private readonly memory = new MemoryRunLog();
  constructor(private readonly lastRun: Date) {}
  append(record: RunRecord): void {
    this.memory.append(record);
  }
  records(query?: RunQuery): Promise<RunRecord[]> {
    return this.memory.records(query);
  }
  restore(): RestoredTask[] {
    const last = { run: { at: this.lastRun, sequence: 1 }, success: { at: this.lastRun, sequence: 2 } };
    return [{ taskName: 'hourly', status: 'success', last, consecutiveFails: 0 }];
  }
}

const hours = async (app: App): Promise<string[]> =>
  (await app.logs.records({ taskName: 'hourly', action: 'run' })).map((r) =>
    (r.scheduledAt ?? r.start ?? r.created).toISOString().slice(11, 16),
  );

describe('catch-up when the app starts', () => {
  it('reads missed instants from a log that restores history', async () => {
    jest.setSystemTime(new Date('2026-05-04T11:00:30Z'));
    const app = new App({
      log: new RestoringLog(new Date('2026-05-04T08:00:00Z')),
      config: { timezone: 'UTC' },
    });
    app.task({ name: 'hourly', start: cron('0 * * * *'), catchup: 'all' }, () => undefined);
    await runFor(app, 1000);
    expect(await hours(app)).toEqual(['09:00', '10:00', '11:00']);
  });

  it('misses nothing with the memory log, even when the same app runs again hours later', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'hourly', start: cron('0 * * * *'), catchup: 'all' }, () => undefined);
    await runFor(app, 1000);
    jest.setSystemTime(new Date('2026-05-04T11:00:30Z'));
    await runFor(app, 1000);
    expect(await hours(app)).toEqual(['08:00', '11:00']);
  });

  it('catches nothing up for a task disabled in the log', async () => {
    jest.setSystemTime(new Date('2026-05-04T11:00:30Z'));
    const log = new RestoringLog(new Date('2026-05-04T08:00:00Z'));
    const withPause = Object.assign(log, { disabledTasks: () => new Map([['hourly', true]]) });
    const app = new App({ log: withPause, config: { timezone: 'UTC' } });
    app.task({ name: 'hourly', start: cron('0 * * * *'), catchup: 'all' }, () => undefined);
    await runFor(app, 1000);
    expect(await hours(app)).toEqual([]);
  });
});
