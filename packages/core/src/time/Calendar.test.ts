import { calendarFor } from './Calendar';

describe('calendarFor', () => {
  // 'Etc/Zulu' is UTC under a name that goes through Intl.DateTimeFormat: the reference.
  const reference = calendarFor('Etc/Zulu');
  const instants = [
    0,
    Date.UTC(2026, 2, 29, 1, 30, 15, 250),
    Date.UTC(2026, 9, 25, 2, 0),
    Date.UTC(2028, 1, 29, 23, 59, 59, 999),
  ];

  it.each(['UTC', 'Etc/UTC'])('reads %s as the zone data does, without an offset', (zone) => {
    const calendar = calendarFor(zone);
    expect(calendar.timezone).toBe(zone);
    for (const instant of instants) {
      expect(calendar.wall(instant)).toEqual(reference.wall(instant));
      const w = calendar.wall(instant);
      expect(calendar.instant(w.year, w.month, w.day, w.hour, w.minute, w.second, w.millisecond)).toBe(
        instant,
      );
    }
    expect(calendar.wall(instants[1] as number).hour).toBe(1);
    // Fields overflow as in Date.UTC.
    expect(calendar.instant(2026, 1, 32)).toBe(Date.UTC(2026, 1, 1));
  });
});
