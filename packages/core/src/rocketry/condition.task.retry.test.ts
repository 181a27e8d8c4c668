/**
 * Ported from Rocketry's rocketry/test/condition/task/test_retry.py (Miksus/rocketry): the same
 * log records for "the task", and `Retry(n)` checked for that task at the same instant. `Retry(n)`
 * is Apogee's `retry(n)`.
 *
 * Differences on purpose:
 * - `Retry(n=None)` / `Retry(n=-1)` (retry forever, "Retry infinite") and `Retry()` (default 1)
 *   have no counterpart: `retry(n)` takes a count (see the README table). `test_construct` is
 *   reduced to the counts Apogee takes; a negative count is a `RangeError`.
 * Times are UTC (Rocketry's naive datetimes in the process's zone).
 */
import type { Condition } from '../conditions/Condition';
import { retry } from '../index';
import { observeLogs, type LogLine } from './fixtures/observeLogs';

type Case = [string, Condition, LogLine[], string];

describe('test_construct', () => {
  it('takes a count of 0 or more', () => {
    expect(retry(2).toString()).toBe('retry 2');
    expect(retry(0).toString()).toBe('retry 0');
    expect(() => retry(-1)).toThrow(RangeError);
  });
});

describe('test_retry', () => {
  it.each<Case>([
    [
      'Retry once (failed once)',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry once (success and failed once)',
      retry(1),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'fail'],
        ['2020-01-01T07:05:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'success'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry once (terminated and failed once)',
      retry(1),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'fail'],
        ['2020-01-01T07:05:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'terminate'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry once (crashed and failed once)',
      retry(1),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'fail'],
        ['2020-01-01T07:05:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'crash'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry once (inacted and failed once)',
      retry(1),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'fail'],
        ['2020-01-01T07:05:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'inaction'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry twice (failed twice)',
      retry(2),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'success'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
  ])('%s', (_id, condition, logs, after) => {
    expect(observeLogs(condition, logs, after, 'the task')).toBe(true);
  });
});

describe('test_not_retry', () => {
  it.each<Case>([
    ['No logs', retry(1), [], '2020-01-01T07:30:00Z'],
    [
      'Running',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Succeeded',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'success'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Terminated',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'terminate'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Crashed',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'crash'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Inacted',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'inaction'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry once (failed twice)',
      retry(1),
      [
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
    [
      'Retry twice (failed three times)',
      retry(2),
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:05:00Z', 'fail'],
        ['2020-01-01T07:10:00Z', 'run'],
        ['2020-01-01T07:15:00Z', 'fail'],
        ['2020-01-01T07:20:00Z', 'run'],
        ['2020-01-01T07:25:00Z', 'fail'],
      ],
      '2020-01-01T07:30:00Z',
    ],
  ])('%s', (_id, condition, logs, after) => {
    expect(observeLogs(condition, logs, after, 'the task')).toBe(false);
  });
});

describe('test_retry_never', () => {
  it.each<[string, LogLine[]]>([
    [
      'success',
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'success'],
      ],
    ],
    [
      'fail',
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'fail'],
      ],
    ],
    ['None', []],
    [
      'crash',
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'crash'],
      ],
    ],
    [
      'terminate',
      [
        ['2020-01-01T07:00:00Z', 'run'],
        ['2020-01-01T07:10:00Z', 'terminate'],
      ],
    ],
  ])('%s', (_id, logs) => {
    expect(observeLogs(retry(0), logs, '2020-01-01T07:20:00Z', 'the task')).toBe(false);
  });
});
