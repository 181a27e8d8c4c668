import { conditionContext, type StateInput } from '@apogee/test-utils';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import type { Condition, Evaluation } from '../Condition';
import { cron } from './cron';
import { every } from './every';
import { daily, hourly, minutely, monthly, weekly } from './PeriodCondition';
import { timeOfDay, timeOfHour, timeOfMinute, timeOfMonth, timeOfWeek } from './WindowCondition';

const UTC = 'UTC';
const t = (iso: string): number => new Date(iso).getTime();

function check(
  condition: Condition,
  now: string,
  self: StateInput = {},
  timezone = UTC,
): { value: boolean; next: string | number } {
  const result = condition.evaluate(conditionContext({ now, timezone, states: { self } })) as Evaluation;
  return {
    value: result.value,
    next: Number.isFinite(result.next) ? new Date(result.next).toISOString() : result.next,
  };
}

describe('once-per-period conditions', () => {
  it('daily: true until the task finishes a run today, then false until midnight', () => {
    expect(check(daily, '2026-05-04T10:00:00Z')).toEqual({ value: true, next: '2026-05-05T00:00:00.000Z' });
    const doneToday = { lastRun: t('2026-05-04T09:00:00Z'), lastSuccess: t('2026-05-04T09:00:01Z') };
    expect(check(daily, '2026-05-04T10:00:00Z', doneToday)).toEqual({
      value: false,
      next: '2026-05-05T00:00:00.000Z',
    });
    expect(check(daily, '2026-05-05T00:00:00Z', doneToday).value).toBe(true);
  });

  it('counts a failure, an inaction and a termination as done for the period, and a live run too', () => {
    for (const key of ['lastFail', 'lastInaction', 'lastTerminate'] as const) {
      expect(check(daily, '2026-05-04T10:00:00Z', { [key]: t('2026-05-04T08:00:00Z') }).value).toBe(false);
    }
    expect(
      check(daily, '2026-05-04T10:00:00Z', { running: 1, lastRun: t('2026-05-04T09:59:00Z') }).value,
    ).toBe(false);
  });

  it('daily.between: once inside the window; sleeps until the window opens, or the next one once done', () => {
    const c = daily.between('08:00', '10:00');
    expect(check(c, '2026-05-04T07:00:00Z')).toEqual({ value: false, next: '2026-05-04T08:00:00.000Z' });
    expect(check(c, '2026-05-04T08:30:00Z')).toEqual({ value: true, next: '2026-05-04T10:00:00.000Z' });
    expect(check(c, '2026-05-04T08:30:00Z', { lastSuccess: t('2026-05-04T08:00:00Z') })).toEqual({
      value: false,
      next: '2026-05-05T08:00:00.000Z',
    });
    expect(check(c, '2026-05-04T10:00:00Z')).toEqual({ value: false, next: '2026-05-05T08:00:00.000Z' });
    expect(c.toString()).toBe('daily between 08:00 and 10:00');
  });

  it('at/on span one sub-unit: daily.at is an hour, weekly.on a day, monthly.at a day, hourly.at a minute', () => {
    expect(check(daily.at('10:00'), '2026-05-04T10:59:59Z').value).toBe(true);
    expect(check(daily.at('10:00'), '2026-05-04T11:00:00Z').next).toBe('2026-05-05T10:00:00.000Z');
    expect(check(daily.at('23:00'), '2026-05-04T23:30:00Z')).toEqual({
      value: true,
      next: '2026-05-05T00:00:00.000Z',
    });
    // 2026-05-04 is a Monday.
    expect(check(weekly.on('Monday'), '2026-05-04T23:00:00Z')).toEqual({
      value: true,
      next: '2026-05-05T00:00:00.000Z',
    });
    expect(check(weekly.on('Friday'), '2026-05-04T23:00:00Z')).toEqual({
      value: false,
      next: '2026-05-08T00:00:00.000Z',
    });
    expect(check(monthly.at('1st'), '2026-05-02T00:00:00Z')).toEqual({
      value: false,
      next: '2026-06-01T00:00:00.000Z',
    });
    expect(check(hourly.at('30'), '2026-05-04T10:30:30Z')).toEqual({
      value: true,
      next: '2026-05-04T10:31:00.000Z',
    });
    expect(check(minutely.at('15'), '2026-05-04T10:30:00Z')).toEqual({
      value: false,
      next: '2026-05-04T10:30:15.000Z',
    });
  });

  it('before and after restrict the period from its start or until its end', () => {
    expect(check(daily.before('06:00'), '2026-05-04T07:00:00Z')).toEqual({
      value: false,
      next: '2026-05-05T00:00:00.000Z',
    });
    expect(check(daily.after('18:00'), '2026-05-04T19:00:00Z')).toEqual({
      value: true,
      next: '2026-05-05T00:00:00.000Z',
    });
    expect(check(weekly.after('Fri'), '2026-05-04T19:00:00Z').next).toBe('2026-05-08T00:00:00.000Z');
  });

  it('skips months that lack the day', () => {
    expect(check(monthly.at('31st'), '2026-04-10T00:00:00Z').next).toBe('2026-05-31T00:00:00.000Z');
    expect(check(monthly.at('30th'), '2026-02-10T00:00:00Z').next).toBe('2026-03-30T00:00:00.000Z');
  });

  it('rejects times that do not fit the period, quoting them', () => {
    expect(() => daily.at('25:00')).toThrow(ConfigurationError);
    expect(() => daily.at('25:00')).toThrow(/daily.at: "25:00" is not valid. Expected a time of day/);
    expect(() => weekly.on('Funday')).toThrow(/Expected a weekday/);
    expect(() => monthly.at('32nd')).toThrow(/Expected a day of the month/);
  });
});

describe('time windows', () => {
  it('are pure windows: true inside whatever the task did', () => {
    const c = timeOfDay.between('08:00', '20:00');
    const busy = { lastRun: t('2026-05-04T09:00:00Z'), lastSuccess: t('2026-05-04T09:00:00Z') };
    expect(check(c, '2026-05-04T09:00:01Z', busy)).toEqual({ value: true, next: '2026-05-04T20:00:00.000Z' });
    expect(check(c, '2026-05-04T21:00:00Z')).toEqual({ value: false, next: '2026-05-05T08:00:00.000Z' });
  });

  it('wraps past the end of the period when the end is before the start', () => {
    const night = timeOfDay.between('22:00', '02:00');
    expect(check(night, '2026-05-04T23:00:00Z')).toEqual({ value: true, next: '2026-05-05T02:00:00.000Z' });
    expect(check(night, '2026-05-05T01:00:00Z')).toEqual({ value: true, next: '2026-05-05T02:00:00.000Z' });
    expect(check(night, '2026-05-05T03:00:00Z')).toEqual({ value: false, next: '2026-05-05T22:00:00.000Z' });
  });

  it('includes a whole named day at the end: Mon-Fri covers Friday', () => {
    const workweek = timeOfWeek.between('Mon', 'Fri');
    expect(check(workweek, '2026-05-08T23:59:00Z').value).toBe(true);
    expect(check(workweek, '2026-05-09T10:00:00Z')).toEqual({
      value: false,
      next: '2026-05-11T00:00:00.000Z',
    });
    expect(check(timeOfWeek.on('Sunday'), '2026-05-10T12:00:00Z').value).toBe(true);
  });

  it('covers minutes, hours and months', () => {
    expect(check(timeOfMinute.between('0', '30'), '2026-05-04T10:00:45Z').next).toBe(
      '2026-05-04T10:01:00.000Z',
    );
    expect(check(timeOfHour.before('15'), '2026-05-04T10:14:00Z')).toEqual({
      value: true,
      next: '2026-05-04T10:15:00.000Z',
    });
    expect(check(timeOfMonth.before('10th'), '2026-05-12T00:00:00Z').next).toBe('2026-06-01T00:00:00.000Z');
    expect(timeOfMonth.before('10th').toString()).toBe('time of month before 10th');
  });
});

describe('before a named day (the day is included, as in Rocketry)', () => {
  // 2026-05-04 is a Monday, 2026-05-05 a Tuesday.
  it('timeOfWeek.before and weekly.before include the named weekday', () => {
    expect(check(timeOfWeek.before('Tuesday'), '2026-05-05T12:00:00Z')).toEqual({
      value: true,
      next: '2026-05-06T00:00:00.000Z',
    });
    expect(check(timeOfWeek.before('Tuesday'), '2026-05-06T00:00:00Z').value).toBe(false);
    expect(check(weekly.before('Tuesday'), '2026-05-05T23:59:00Z').value).toBe(true);
  });

  it('timeOfMonth.before includes the named day of the month', () => {
    expect(check(timeOfMonth.before('10th'), '2026-05-10T18:00:00Z').value).toBe(true);
    expect(check(timeOfMonth.before('10th'), '2026-05-11T00:00:00Z').value).toBe(false);
  });

  it('before the first day is that day only, not an empty window wrapping into the whole unit', () => {
    expect(check(timeOfMonth.before('1st'), '2026-01-15T12:00:00Z')).toEqual({
      value: false,
      next: '2026-02-01T00:00:00.000Z',
    });
    expect(check(timeOfMonth.before('1st'), '2026-01-01T12:00:00Z').value).toBe(true);
    expect(check(weekly.before('Monday'), '2026-05-06T12:00:00Z').value).toBe(false);
    expect(check(weekly.before('Monday'), '2026-05-04T12:00:00Z').value).toBe(true);
  });

  it('a clock time still ends at that instant', () => {
    expect(check(timeOfWeek.before('Tue 10:00'), '2026-05-05T10:00:00Z').value).toBe(false);
    expect(check(timeOfMonth.before('10th 12:00'), '2026-05-10T11:59:00Z').value).toBe(true);
  });
});

describe('time zones and daylight saving', () => {
  const HELSINKI = 'Europe/Helsinki';

  it('reads windows in the configured zone', () => {
    // 08:00 in Helsinki (UTC+3 in summer) is 05:00 UTC.
    expect(check(daily.at('08:00'), '2026-06-01T04:00:00Z', {}, HELSINKI).next).toBe(
      '2026-06-01T05:00:00.000Z',
    );
    expect(check(daily.at('08:00'), '2026-06-01T05:00:00Z', {}, HELSINKI).value).toBe(true);
  });

  it('runs a daily task once on the day clocks spring forward (a 23-hour day)', () => {
    // 2026-03-29: clocks jump from 03:00 to 04:00 (01:00 UTC); the day starts at 22:00 UTC the day before.
    expect(check(daily, '2026-03-28T22:00:00Z', {}, HELSINKI)).toEqual({
      value: true,
      next: '2026-03-29T21:00:00.000Z',
    });
    const ranEarly = { lastSuccess: t('2026-03-28T22:00:00Z') };
    expect(check(daily, '2026-03-29T12:00:00Z', ranEarly, HELSINKI)).toEqual({
      value: false,
      next: '2026-03-29T21:00:00.000Z',
    });
  });

  it('starts a window whose start is skipped at the moment clocks spring forward', () => {
    // 03:30 does not exist on 2026-03-29 in Helsinki: the window opens at 04:00 local (01:00 UTC).
    expect(check(daily.at('03:30'), '2026-03-28T23:00:00Z', {}, HELSINKI).next).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    expect(check(daily.at('03:30'), '2026-03-29T01:00:00Z', {}, HELSINKI)).toEqual({
      value: true,
      next: '2026-03-29T01:30:00.000Z',
    });
    // A window entirely inside the skipped hour keeps its length from there.
    expect(check(daily.between('03:10', '03:50'), '2026-03-29T01:00:00Z', {}, HELSINKI)).toEqual({
      value: true,
      next: '2026-03-29T01:40:00.000Z',
    });
  });

  it('runs a daily task once on the day clocks fall back (a 25-hour day), at the first 03:30', () => {
    // 2026-10-25: 03:00-04:00 happens twice; 03:30 first occurs at 00:30 UTC.
    expect(check(daily.at('03:30'), '2026-10-24T23:00:00Z', {}, HELSINKI).next).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    const ran = { lastSuccess: t('2026-10-25T00:30:00Z') };
    expect(check(daily.at('03:30'), '2026-10-25T01:30:00Z', ran, HELSINKI)).toEqual({
      value: false,
      next: '2026-10-26T01:30:00.000Z',
    });
    expect(check(daily, '2026-10-25T12:00:00Z', {}, HELSINKI).next).toBe('2026-10-25T22:00:00.000Z');
  });
});

describe('every', () => {
  it('is true at first, then false until the interval since the last start has passed', () => {
    const c = every('10 seconds');
    expect(check(c, '2026-05-04T10:00:00Z')).toEqual({ value: true, next: Infinity });
    expect(check(c, '2026-05-04T10:00:05Z', { lastRun: t('2026-05-04T10:00:00Z') })).toEqual({
      value: false,
      next: '2026-05-04T10:00:10.000Z',
    });
    expect(check(c, '2026-05-04T10:00:10Z', { lastRun: t('2026-05-04T10:00:00Z') }).value).toBe(true);
  });

  it('accepts milliseconds and decimal durations and rejects unknown units', () => {
    expect(check(every(1500), '2026-05-04T10:00:01Z', { lastRun: t('2026-05-04T10:00:00Z') }).next).toBe(
      '2026-05-04T10:00:01.500Z',
    );
    expect(
      check(every('1.5 hours'), '2026-05-04T10:00:01Z', { lastRun: t('2026-05-04T10:00:00Z') }).next,
    ).toBe('2026-05-04T11:30:00.000Z');
    expect(() => every('10 parsecs' as never)).toThrow(/every: "10 parsecs" is not valid/);
  });
});

describe('cron', () => {
  it('is true in a matching minute until the task has started in it', () => {
    const c = cron('*/15 * * * *');
    expect(check(c, '2026-05-04T10:15:30Z')).toEqual({ value: true, next: '2026-05-04T10:16:00.000Z' });
    expect(check(c, '2026-05-04T10:15:30Z', { lastRun: t('2026-05-04T10:15:00Z') })).toEqual({
      value: false,
      next: '2026-05-04T10:30:00.000Z',
    });
    expect(check(c, '2026-05-04T10:16:00Z')).toEqual({ value: false, next: '2026-05-04T10:30:00.000Z' });
  });

  it('supports a seconds field and time zones', () => {
    expect(check(cron('*/10 * * * * *'), '2026-05-04T10:00:03Z').next).toBe('2026-05-04T10:00:10.000Z');
    expect(check(cron('0 3 * * *'), '2026-06-01T12:00:00Z', {}, 'Europe/Helsinki').next).toBe(
      '2026-06-02T00:00:00.000Z',
    );
  });

  it('rethrows croner errors as ConditionSyntaxError quoting the pattern', () => {
    expect(() => cron('61 * * * *')).toThrow(ConditionSyntaxError);
    expect(() => cron('61 * * * *')).toThrow(/Cannot parse condition "61 \* \* \* \*"/);
  });
});
