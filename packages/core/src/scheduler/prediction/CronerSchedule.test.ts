import { calendarFor } from '../../time/Calendar';
import { CronerSchedule } from './CronerSchedule';

const t = (iso: string): number => new Date(iso).getTime();
const helsinki = calendarFor('Europe/Helsinki');

describe('CronerSchedule across daylight saving (Europe/Helsinki)', () => {
  it('matches a skipped wall time at the jump, and its next run is the jump', () => {
    // 2026-03-29: 03:00 -> 04:00 at 01:00 UTC.
    const s = new CronerSchedule('30 3 * * *', helsinki);
    expect(s.nextAfter(t('2026-03-28T22:00:00Z'))).toBe(t('2026-03-29T01:00:00Z'));
    expect(s.matches(t('2026-03-29T01:00:00Z'))).toBe(true);
    expect(s.matches(t('2026-03-29T01:01:00Z'))).toBe(false);
    expect(s.nextAfter(t('2026-03-29T01:00:00Z'))).toBe(t('2026-03-30T00:30:00Z'));
    // A pattern that matches nothing in the skipped hour is left alone.
    expect(new CronerSchedule('30 5 * * *', helsinki).matches(t('2026-03-29T01:00:00Z'))).toBe(false);
  });

  it('matches only the first of a wall time that happens twice', () => {
    // 2026-10-25: 03:00-04:00 twice, at 00:00 and 01:00 UTC.
    const s = new CronerSchedule('30 3 * * *', helsinki);
    expect(s.matches(t('2026-10-25T00:30:00Z'))).toBe(true);
    expect(s.matches(t('2026-10-25T01:30:00Z'))).toBe(false);
    expect(s.nextAfter(t('2026-10-25T00:30:00Z'))).toBe(t('2026-10-26T01:30:00Z'));
  });
});
