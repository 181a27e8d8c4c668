import { cron } from '../../conditions/time/cron';
import { definition } from '../fixtures/fakes';
import { missedInstants } from './missedInstants';

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

describe('missedInstants', () => {
  const hourly = (catchup: 'none' | 'latest' | 'all', catchupWindow = 86_400_000) =>
    definition('report', { start: cron('0 * * * *'), catchup, catchupWindow });

  it('lists the instants after the last run whose slot is over, then the slot open now', () => {
    const missed = missedInstants({
      definition: hourly('all'),
      lastRun: at('2026-05-04T08:00:05Z'),
      now: at('2026-05-04T11:00:30Z'),
      timezone: 'UTC',
    });
    expect(missed.map(iso)).toEqual([
      '2026-05-04T09:00:00.000Z',
      '2026-05-04T10:00:00.000Z',
      '2026-05-04T11:00:00.000Z',
    ]);
  });

  it("keeps the latest only for 'latest', and nothing for 'none' or without a last run", () => {
    const input = { lastRun: at('2026-05-04T08:00:05Z'), now: at('2026-05-04T10:30:00Z'), timezone: 'UTC' };
    expect(missedInstants({ ...input, definition: hourly('latest') }).map(iso)).toEqual([
      '2026-05-04T10:00:00.000Z',
    ]);
    expect(missedInstants({ ...input, definition: hourly('none') })).toEqual([]);
    expect(missedInstants({ ...input, lastRun: undefined, definition: hourly('all') })).toEqual([]);
  });

  it('keeps to the window, reads six-field patterns to the second, and follows the time zone', () => {
    const seconds = definition('tick', {
      start: cron('*/20 * * * * *'),
      catchup: 'all',
      catchupWindow: 50_000,
    });
    expect(
      missedInstants({
        definition: seconds,
        lastRun: at('2026-05-04T08:00:00Z'),
        now: at('2026-05-04T08:10:10.500Z'),
        timezone: undefined,
      }).map(iso),
    ).toEqual(['2026-05-04T08:09:40.000Z', '2026-05-04T08:10:00.000Z']);
    const helsinki = definition('morning', { start: cron('0 9 * * *'), catchup: 'all' });
    expect(
      missedInstants({
        definition: helsinki,
        lastRun: at('2026-05-03T06:00:00Z'),
        now: at('2026-05-04T12:00:00Z'),
        timezone: 'Europe/Helsinki',
      }).map(iso),
    ).toEqual(['2026-05-04T06:00:00.000Z']);
  });

  it('counts the instant whose slot ended just before the restart', () => {
    const everyThird = (catchup: 'latest' | 'all') =>
      definition('tick', { start: cron('*/3 * * * * *'), catchup });
    const input = {
      lastRun: at('2026-05-04T08:00:45.100Z'),
      now: at('2026-05-04T08:00:55.601Z'),
      timezone: 'UTC',
    };
    expect(missedInstants({ ...input, definition: everyThird('all') }).map(iso)).toEqual([
      '2026-05-04T08:00:48.000Z',
      '2026-05-04T08:00:51.000Z',
      '2026-05-04T08:00:54.000Z',
    ]);
    expect(missedInstants({ ...input, definition: everyThird('latest') }).map(iso)).toEqual([
      '2026-05-04T08:00:54.000Z',
    ]);
    const justAfterTen = missedInstants({
      definition: hourly('latest'),
      lastRun: at('2026-05-04T08:00:05Z'),
      now: at('2026-05-04T10:01:00.400Z'),
      timezone: 'UTC',
    });
    expect(justAfterTen.map(iso)).toEqual(['2026-05-04T10:00:00.000Z']);
  });
});
