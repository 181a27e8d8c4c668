/**
 * Ported from Rocketry's rocketry/test/condition/task/test_time_runnable.py (Miksus/rocketry): the
 * same log records for "the task", checked for that task at the same instant.
 *
 * Difference on purpose: Rocketry's `TaskRunnable(period=TimeOfDay("07:00", "08:00"))` (inside the
 * window and not started inside it; what Rocketry's `cron` builds on) has no builder of its own:
 * Apogee's `cron` is the runnable form for cron schedules, and for a time window it is written
 * out as `timeOfDay.between('07:00', '08:00').and(not(started().today.between('07:00', '08:00')))`.
 * Unlike `daily.between(...)` (Rocketry's `TaskExecutable`), a run that started before the window
 * does not count ("Do run (ran outside the period)"). Rocketry's two paths (`from_logs`) are one
 * here, the task-state index. Times are UTC.
 */
import type { Condition } from '../conditions/Condition';
import { not, started, timeOfDay } from '../index';
import { observeLogs, type LogLine } from './fixtures/observeLogs';

type Case = [string, LogLine[], string, boolean];

const runnable: Condition = timeOfDay
  .between('07:00', '08:00')
  .and(not(started().today.between('07:00', '08:00')));

describe('test_runnable', () => {
  it.each<Case>([
    [
      "Don't run (already ran)",
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      "Don't run (already ran, out of the period)",
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T08:30:00Z',
      false,
    ],
    ["Don't run (out of the period)", [], '2020-01-01T08:30:00Z', false],
    ['Do run (has not run)', [], '2020-01-02T07:30:00Z', true],
    [
      'Do run (ran yesterday)',
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-02T07:30:00Z',
      true,
    ],
    [
      'Do run (ran outside the period)',
      [
        ['2020-01-01T06:50:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
  ])('%s', (_id, logs, after, outcome) => {
    expect(observeLogs(runnable, logs, after, 'the task')).toBe(outcome);
  });
});
