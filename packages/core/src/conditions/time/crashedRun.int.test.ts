import { runFor } from '@apogee/test-utils';
import { App } from '../../app/App';
import { MemoryRunLog } from '../../log/MemoryRunLog';
import type { RunLog, RestoredTask } from '../../log/RunLog';
import { cron } from './cron';
import { every } from './every';
import { daily } from './PeriodCondition';

// A run recorded `crash` earlier today, at 08:00, as a persistent log gives it back at start.
const CRASHED_AT = new Date('2026-05-04T08:00:00Z');

/** A log whose history holds one crashed run of each task. */
function logWithCrashedRuns(tasks: readonly string[]): RunLog {
  const memory = new MemoryRunLog();
  const started = new Date(CRASHED_AT.getTime() - 1000);
  const restored: RestoredTask[] = tasks.map((taskName) => ({
    taskName,
    status: 'crash',
    last: { run: { at: started, sequence: 1 }, crash: { at: CRASHED_AT, sequence: 2 } },
    consecutiveFails: 0,
  }));
  return Object.assign(memory, { restore: () => restored });
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T09:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('a crashed run', () => {
  it("counts as its period's run for daily, and as its instant's run for cron and every: nothing runs twice", async () => {
    const ran: string[] = [];
    const app = new App({
      log: logWithCrashedRuns(['report', 'nightly', 'poll']),
      config: { timezone: 'UTC' },
    });
    app.task({ name: 'report', start: daily }, () => ran.push('report'));
    // Due at 07:59:59 (the crashed start) and next at 10:00: nothing due in the hour run here.
    app.task({ name: 'nightly', start: cron('59 59 7,10 * * *') }, () => ran.push('nightly'));
    app.task({ name: 'poll', start: every('2 hours') }, () => ran.push('poll'));
    await runFor(app, 30 * 60_000);
    expect(ran).toEqual([]);
  });

  it("is run again in the same period with rerunCrashed (Rocketry's behaviour), per task or from config", async () => {
    const ran: string[] = [];
    const app = new App({
      log: logWithCrashedRuns(['report', 'digest', 'summary']),
      config: { timezone: 'UTC', rerunCrashed: true },
    });
    app.task({ name: 'report', start: daily }, () => ran.push('report'));
    app.task({ name: 'digest', start: daily, rerunCrashed: false }, () => ran.push('digest'));
    app.task({ name: 'summary', start: daily }, () => ran.push('summary'));
    await runFor(app, 1000);
    expect(ran.sort()).toEqual(['report', 'summary']);
  });

  it('refuses a rerunCrashed that is not a boolean, naming the task', () => {
    const app = new App();
    expect(() =>
      app.task({ name: 'report', start: daily, rerunCrashed: 'yes' as unknown as boolean }, () => 1),
    ).toThrow(/Task "report" rerunCrashed/);
  });
});
