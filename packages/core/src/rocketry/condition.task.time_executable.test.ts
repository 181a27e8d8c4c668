/**
 * Ported from Rocketry's rocketry/test/condition/task/test_time_executable.py (Miksus/rocketry):
 * the same log records for "the task", checked for that task at the same instant.
 * `TaskExecutable(task="the task", period=TimeOfDay("07:00", "08:00"))` is Apogee's
 * `daily.between('07:00', '08:00')`; a period combination `TimeOfDay() & TimeOfMinute()` is
 * `daily.and(minutely)`.
 *
 * Differences on purpose:
 * - `retries=1` on the condition is `.or(retry(1))`: retries are a condition of their own (see
 *   the README table). As in Rocketry, a termination is not retried.
 * - Rocketry runs each case twice (`from_logs`: status read from the log, or from the task's
 *   cached `_last_*`); Apogee has one path, the task-state index the log feeds.
 * - "Do not run (is already running)" is an xfail in Rocketry ("bug but does not affect if no
 *   multiple schedulers"); Apogee answers it as meant: a run started in the period counts.
 * Times are UTC (Rocketry's naive datetimes in the process's zone).
 */
import type { Condition } from '../conditions/Condition';
import { daily, minutely, retry } from '../index';
import { observeLogs, type LogLine } from './fixtures/observeLogs';

type Case = [string, Condition, LogLine[], string, boolean];

const between7and8 = daily.between('07:00', '08:00');

describe('test_executable', () => {
  it.each<Case>([
    [
      "Don't run (already succeeded)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      "Don't run (already failed)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      "Don't run (terminated)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      "Don't run (terminated with retries)",
      between7and8.or(retry(1)),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      "Don't run (already ran and out of time)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T08:30:00Z',
      false,
    ],
    [
      "Don't run (missed)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2021-12-31T08:30:00Z',
      false,
    ],
    [
      "Don't run (not yet time)",
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-02T06:00:00Z',
      false,
    ],
    ["Don't run (out of time and not run at all)", between7and8, [], '2020-01-01T08:30:00Z', false],
    [
      'Do not run (has inacted)',
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Do not run (is already running)',
      between7and8,
      [['2020-01-01T07:10:00Z', 'run']],
      '2020-01-01T07:30:00Z',
      false,
    ],
    ['Do run (has not run at all)', between7and8, [], '2020-01-01T07:10:00Z', true],
    [
      'Do run (has retries)',
      between7and8.or(retry(1)),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Do run (succeeded yesterday)',
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-02T07:30:00Z',
      true,
    ],
    [
      'Do run (failed yesterday)',
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-02T07:30:00Z',
      true,
    ],
    [
      'Do run (terminated yesterday)',
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-02T07:30:00Z',
      true,
    ],
    [
      'Do run (inacted yesterday)',
      between7and8,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-02T07:30:00Z',
      true,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observeLogs(condition, logs, after, 'the task')).toBe(outcome);
  });
});

describe('test_periods', () => {
  it.each<Case>([
    [
      'Do run (continuous cycle, daily)',
      daily,
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-02T00:01:00Z',
      true,
    ],
    [
      'Do run (continuous cycle, daily & minutely)',
      daily.and(minutely),
      [
        ['2020-01-01T23:59:00Z', 'run'],
        ['2020-01-01T23:59:00Z', 'success'],
      ],
      '2020-01-02T00:01:00Z',
      true,
    ],
    [
      'Do run (continuous cycle, daily | minutely)',
      daily.or(minutely),
      [
        ['2020-01-01T23:59:00Z', 'run'],
        ['2020-01-01T23:59:00Z', 'success'],
      ],
      '2020-01-02T00:01:00Z',
      true,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observeLogs(condition, logs, after, 'the task')).toBe(outcome);
  });
});
