/**
 * Ported from Rocketry's rocketry/test/condition/test_timezone.py (Miksus/rocketry). The clock
 * reads 2024-01-01 22:00 UTC (a Monday) and the session's zone is UTC+12, where it is already
 * Tuesday 2 January, 10:00.
 *
 * Differences on purpose:
 * - Rocketry's `config.timezone` is a fixed-offset `tzinfo`; Apogee takes an IANA zone, and a fixed
 *   UTC+12 is `Etc/GMT-12` (the IANA sign is reversed).
 * - Rocketry's `config.time_func` (a clock that started at 22:00) is jest's fake clock.
 * - `crontime("0-5 10 * * *")` (a cron window) is `cron('0-5 10 * * *')`, which also holds once
 *   per matching minute for a task that has not run in it.
 * - Rocketry logs run/success/fail/terminate/inaction by hand (`task.log_running()`...); here the
 *   app runs the task, which writes its own records.
 * - `test_task_run` for `thread` and `process` execution is left out: those runs go through worker
 *   threads and processes, whose timestamps come from the real clock, not jest's fake clock.
 */
import { conditionContext, runFor } from '@apogee/test-utils';
import type { Condition, Evaluation } from '../conditions/Condition';
import {
  App,
  always,
  cron,
  daily,
  monthly,
  started,
  timeOfDay,
  timeOfMonth,
  timeOfWeek,
  weekly,
  type Execution,
} from '../index';

const ZONE = 'Etc/GMT-12';
const NOW = '2024-01-01T22:00:00Z';

afterEach(() => {
  jest.useRealTimers();
});

describe('test_time_of', () => {
  it.each<[string, Condition]>([
    ['time_of_day.between("10:00", "10:05")', timeOfDay.between('10:00', '10:05')],
    ['crontime("0-5 10 * * *")', cron('0-5 10 * * *')],
    ['time_of_week.on("Tuesday")', timeOfWeek.on('Tuesday')],
    ['time_of_month.on("2nd")', timeOfMonth.on('2nd')],
  ])('%s holds in UTC+12 (and not in UTC)', (_id, condition) => {
    const observe = (timezone: string) =>
      (condition.evaluate(conditionContext({ now: NOW, timezone })) as Evaluation).value;
    expect(observe(ZONE)).toBe(true);
    expect(observe('UTC')).toBe(false);
  });
});

describe('test_task', () => {
  it.each<[string, Condition]>([
    ['daily.between("10:00", "10:05")', daily.between('10:00', '10:05')],
    ['weekly.on("Tuesday")', weekly.on('Tuesday')],
    ['monthly.on("2nd")', monthly.on('2nd')],
  ])('%s runs once in the zone, then not again (and not at all in UTC)', async (_id, start) => {
    jest.useFakeTimers({ now: new Date(NOW) });
    const runsIn = async (timezone: string): Promise<number> => {
      const app = new App({ config: { timezone } });
      let runs = 0;
      app.task({ name: 'the task', start, execution: 'async' }, () => {
        runs++;
      });
      jest.setSystemTime(new Date(NOW));
      await runFor(app, 4 * 60_000);
      return runs;
    };
    expect(await runsIn(ZONE)).toBe(1);
    expect(await runsIn('UTC')).toBe(0);
  });
});

describe('test_task_attrs', () => {
  it('records the run at the clock time', async () => {
    jest.useFakeTimers({ now: new Date(NOW) });
    const app = new App({ config: { timezone: ZONE } });
    const task = app.task({ name: 'the task', start: daily, execution: 'async' }, () => undefined);
    await runFor(app, 60_000);
    const [from, to] = [Date.parse(NOW), Date.parse('2024-01-01T22:01:00Z')];
    for (const at of [task.lastRun, task.lastSuccess]) {
      expect(at?.getTime()).toBeGreaterThanOrEqual(from);
      expect(at?.getTime()).toBeLessThanOrEqual(to);
    }
  });
});

describe('test_task_run', () => {
  it.each<Execution>(['main', 'async'])('%s', async (execution) => {
    jest.useFakeTimers({ now: new Date(NOW) });
    const app = new App({ config: { timezone: ZONE, shutdownWhen: started('the task') } });
    const task = app.task({ name: 'the task', start: always, execution }, () => undefined);
    await runFor(app, 5 * 60_000);
    const [from, to] = [Date.parse(NOW), Date.parse('2024-01-01T22:05:00Z')];
    for (const at of [task.lastRun, task.lastSuccess]) {
      expect(at?.getTime()).toBeGreaterThanOrEqual(from);
      expect(at?.getTime()).toBeLessThanOrEqual(to);
    }
  });
});
