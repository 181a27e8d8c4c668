import { calendarFor } from '../../time/Calendar';
import { TimePeriod } from './TimePeriod';

describe('TimePeriod answers', () => {
  const day = new TimePeriod('day', undefined, undefined);
  const utc = calendarFor('UTC');
  const tokyo = calendarFor('Asia/Tokyo');
  const t = Date.parse('2026-03-01T20:00:00Z');

  it('are the same when asked again at the same instant in the same calendar', () => {
    const first = day.occurrenceAt(t, utc);
    expect(day.occurrenceAt(t, utc)).toEqual(first);
    expect(first).toEqual({
      start: Date.parse('2026-03-01T00:00:00Z'),
      end: Date.parse('2026-03-02T00:00:00Z'),
    });
    expect(day.nextStart(t, utc)).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(day.nextStart(t, utc)).toBe(Date.parse('2026-03-02T00:00:00Z'));
  });

  it('follow the calendar and the instant they are asked for, one after the other', () => {
    expect(day.occurrenceAt(t, utc)?.start).toBe(Date.parse('2026-03-01T00:00:00Z'));
    // 05:00 on 2 March in Tokyo: its day began at 15:00 UTC.
    expect(day.occurrenceAt(t, tokyo)?.start).toBe(Date.parse('2026-03-01T15:00:00Z'));
    expect(day.nextStart(t, utc)).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(day.nextStart(t, tokyo)).toBe(Date.parse('2026-03-02T15:00:00Z'));
    const later = t + 86_400_000;
    expect(day.occurrenceAt(later, utc)?.start).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(day.nextStart(later, utc)).toBe(Date.parse('2026-03-03T00:00:00Z'));
  });
});
