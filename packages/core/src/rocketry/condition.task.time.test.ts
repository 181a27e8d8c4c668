/**
 * Ported from Rocketry's rocketry/test/condition/task/test_time.py (Miksus/rocketry): each case
 * writes the same log records for "the task" and checks the condition at the same instant.
 * `TaskStarted(task=..., period=TimeOfDay("07:00", "08:00"))` is written with Apogee's builder
 * `started('the task').today.between('07:00', '08:00')`, and so on. Records fold into the same
 * task-state index the scheduler uses; the condition is checked once before the records are
 * written, as the scheduler checks it when the app starts.
 *
 * Differences on purpose, left out:
 * - `TaskRunning(period=TimeSpanDelta(far=...))` (a run started within a span): Apogee's
 *   `running(t)` has no period; write `running(t).and(started(t).today...)` instead.
 * - "Is not running (but does in the future)" is an xfail in Rocketry (a record dated after the
 *   check); Apogee's index answers from records as they are written, so it has no such case.
 * Times are UTC (Rocketry's naive datetimes in the process's zone).
 */
import type { Condition } from '../conditions/Condition';
import type { RunAction } from '../conditions/runActions';
import { failed, finished, running, started, succeeded } from '../index';
import { observeLogs as observe } from './fixtures/observeLogs';

type Case = [string, Condition, [string, RunAction][], string, boolean];

describe('test_running', () => {
  it.each<Case>([
    ['Is running', running('the task'), [['2020-01-01T07:10:00Z', 'run']], '2020-01-01T07:30:00Z', true],
    [
      'Is running (multiple times)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'run'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Is not running (succeeded)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Is not running (failed)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Is not running (terminated)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Is not running (inacted)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Is not running (crash_release)',
      running('the task'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'crash'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    ['Is not running (and has never ran)', running('the task'), [], '2020-01-01T07:30:00Z', false],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observe(condition, logs, after)).toBe(outcome);
  });
});

describe('test_started', () => {
  it.each<Case>([
    [
      'Has started',
      started('the task').today.between('07:00', '08:00'),
      [['2020-01-01T07:10:00Z', 'run']],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has started (also failed, succeeded, terminated & inacted)',
      started('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:12:00Z', 'fail'],
        ['2020-01-01T07:12:00Z', 'success'],
        ['2020-01-01T07:12:00Z', 'inaction'],
        ['2020-01-01T07:12:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Not started (at all)',
      started('the task').today.between('07:00', '08:00'),
      [],
      '2020-01-02T07:30:00Z',
      false,
    ],
    [
      'Not started (today)',
      started('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'run'],
      ],
      '2020-01-02T07:30:00Z',
      false,
    ],
    [
      'Not started (but failed, succeeded, terminated & inacted)',
      started('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:12:00Z', 'fail'],
        ['2020-01-01T07:12:00Z', 'success'],
        ['2020-01-01T07:12:00Z', 'inaction'],
        ['2020-01-01T07:12:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observe(condition, logs, after)).toBe(outcome);
  });
});

describe('test_finish', () => {
  it.each<Case>([
    [
      'Has finished (succeded)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has finished (failed)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has finished (terminated)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Not finished (only started)',
      finished('the task').today.between('07:00', '08:00'),
      [['2020-01-01T07:10:00Z', 'run']],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not finished (inacted)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not finished (success out of period)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T00:10:00Z', 'run'],
        ['2020-01-01T00:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not finished (fail out of period)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T00:10:00Z', 'run'],
        ['2020-01-01T00:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not finished (termination out of period)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T00:10:00Z', 'run'],
        ['2020-01-01T00:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not finished (inaction out of period)',
      finished('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T00:10:00Z', 'run'],
        ['2020-01-01T00:20:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observe(condition, logs, after)).toBe(outcome);
  });
});

describe('test_success', () => {
  it.each<Case>([
    [
      'Has succeeded',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has succeeded (multiple times)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
        ['2020-01-01T07:30:00Z', 'run'],
        ['2020-01-01T07:40:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has succeeded (multiple times oddly)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
        ['2020-01-01T07:40:00Z', 'success'],
        ['2020-01-01T07:50:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Not succeeded (today)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
        ['2020-01-02T07:10:00Z', 'run'],
        ['2020-01-02T07:20:00Z', 'success'],
      ],
      '2020-01-03T07:30:00Z',
      false,
    ],
    [
      'Not succeeded (only started)',
      succeeded('the task').today.between('07:00', '08:00'),
      [['2020-01-01T07:10:00Z', 'run']],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not succeeded (only failed)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not succeeded (only inacted)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not succeeded (only terminated)',
      succeeded('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observe(condition, logs, after)).toBe(outcome);
  });
});

describe('test_fail', () => {
  it.each<Case>([
    [
      'Has failed',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has failed (multiple times)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
        ['2020-01-01T07:30:00Z', 'run'],
        ['2020-01-01T07:40:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Has failed (multiple times oddly)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
        ['2020-01-01T07:40:00Z', 'fail'],
        ['2020-01-01T07:50:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
      true,
    ],
    [
      'Not failed (today)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'fail'],
        ['2020-01-02T07:10:00Z', 'run'],
        ['2020-01-02T07:20:00Z', 'fail'],
      ],
      '2020-01-03T07:30:00Z',
      false,
    ],
    [
      'Not failed (only started)',
      failed('the task').today.between('07:00', '08:00'),
      [['2020-01-01T07:10:00Z', 'run']],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not failed (only succeeded)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not failed (only inacted)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
    [
      'Not failed (only terminated)',
      failed('the task').today.between('07:00', '08:00'),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:20:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
      false,
    ],
  ])('%s', (_id, condition, logs, after, outcome) => {
    expect(observe(condition, logs, after)).toBe(outcome);
  });
});
