import { ConfigurationError } from '../errors/ConfigurationError';

/** Wall-clock fields of an instant in some time zone. `month` is 1-12, `weekday` 0 = Monday. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: number;
}

/**
 * Converts between instants and wall-clock time in one time zone.
 *
 * Wall times that do not exist (the hour skipped when clocks spring forward) resolve to the
 * instant as far after the gap as they were into it (02:30 becomes 03:30), and wall times that
 * happen twice (clocks falling back) resolve to the first occurrence: Temporal's 'compatible'
 * rule, which is also what `new Date(y, m, d, h)` does for the local zone.
 */
export interface Calendar {
  /** The IANA zone, or `undefined` for the process's local zone. */
  readonly timezone: string | undefined;
  wall(instant: number): WallTime;
  /** The instant of a wall time; fields overflow as in `Date.UTC` (day 32 is next month). */
  instant(
    year: number,
    month: number,
    day: number,
    hour?: number,
    minute?: number,
    second?: number,
    ms?: number,
  ): number;
}

const weekdayOf = (utcDays: number): number => (((utcDays + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday

class LocalCalendar implements Calendar {
  readonly timezone = undefined;
  wall(instant: number): WallTime {
    const d = new Date(instant);
    return {
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      second: d.getSeconds(),
      millisecond: d.getMilliseconds(),
      weekday: (d.getDay() + 6) % 7,
    };
  }
  instant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
    return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  }
}

class ZoneCalendar implements Calendar {
  private readonly format: Intl.DateTimeFormat;
  // Offsets change a few times a year at most; remembering them per quarter hour keeps wall() cheap.
  private readonly offsets = new Map<number, number>();

  constructor(readonly timezone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of the zone from UTC at `instant`, in ms (positive east of Greenwich). */
  private offset(instant: number): number {
    // Zone transitions fall on quarter hours (UTC), so one lookup serves a whole quarter.
    const hourKey = Math.floor(instant / 900_000);
    const known = this.offsets.get(hourKey);
    if (known !== undefined) return known;
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(hourKey * 900_000))) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    );
    const offset = asUtc - hourKey * 900_000;
    if (this.offsets.size > 10_000) this.offsets.clear();
    this.offsets.set(hourKey, offset);
    return offset;
  }

  wall(instant: number): WallTime {
    const local = new Date(instant + this.offset(instant));
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
      weekday: weekdayOf(Math.floor((instant + this.offset(instant)) / 86_400_000)),
    };
  }

  instant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
    const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    const before = this.offset(local - 86_400_000);
    const after = this.offset(local + 86_400_000);
    const early = local - before;
    const late = local - after;
    const earlyValid = this.offset(early) === before;
    const lateValid = this.offset(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // In the gap: read with the offset in force before it, which lands as far past the gap.
    return early;
  }
}

/**
 * The calendar for an IANA zone (`'Europe/Helsinki'`), or the process's local zone when
 * `timezone` is undefined. An unknown zone is a {@link ConfigurationError}.
 */
export function calendarFor(timezone: string | undefined): Calendar {
  if (timezone === undefined) return new LocalCalendar();
  try {
    return new ZoneCalendar(timezone);
  } catch (cause) {
    throw new ConfigurationError(
      'config.timezone',
      timezone,
      "an IANA time zone name such as 'Europe/Helsinki' or 'UTC'",
      {
        cause,
      },
    );
  }
}
