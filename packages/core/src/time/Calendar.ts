import { ConfigurationError } from '../errors/ConfigurationError';

/** Wall-clock fields of an instant in some time zone. `month` is 1-12, `weekday` 0 = Monday. */
export interface WallTime {
  /** Full year, such as 2026. */
  readonly year: number;
  /** Month of the year, 1 (January) to 12. */
  readonly month: number;
  /** Day of the month, 1 to 31. */
  readonly day: number;
  /** Hour of the day, 0 to 23. */
  readonly hour: number;
  /** Minute of the hour, 0 to 59. */
  readonly minute: number;
  /** Second of the minute, 0 to 59. */
  readonly second: number;
  /** Millisecond of the second, 0 to 999. */
  readonly millisecond: number;
  /** Day of the week, 0 (Sunday) to 6 (Saturday). */
  readonly weekday: number;
}

/**
 * Converts between instants and wall-clock time in one time zone.
 *
 * Wall times that do not exist (skipped when clocks spring forward) resolve to the instant the
 * clocks jump: `02:30` on a day that goes from 02:00 straight to 03:00 is 03:00. Wall times
 * that happen twice (clocks falling back) resolve to the first occurrence.
 */
export interface Calendar {
  /** The IANA zone, or `undefined` for the process's local zone. */
  readonly timezone: string | undefined;
  /** The wall-clock time in this zone at `instant` (ms since the epoch). */
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

/** Wall time from an offset function; the one algorithm for the local zone and IANA zones. */
abstract class OffsetCalendar implements Calendar {
  abstract readonly timezone: string | undefined;

  /** Offset of the zone from UTC at `instant`, in ms (positive east of Greenwich). */
  protected abstract offset(instant: number): number;

  wall(instant: number): WallTime {
    const shifted = instant + this.offset(instant);
    const local = new Date(shifted);
    return {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
      millisecond: local.getUTCMilliseconds(),
      weekday: weekdayOf(Math.floor(shifted / 86_400_000)),
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
    // In a gap: find the transition between the two candidates (offsets change on whole minutes).
    let lo = Math.min(early, late);
    let hi = Math.max(early, late);
    const loOffset = this.offset(lo);
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (this.offset(mid) === loOffset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

class LocalCalendar extends OffsetCalendar {
  readonly timezone = undefined;
  protected offset(instant: number): number {
    return -new Date(instant).getTimezoneOffset() * 60_000;
  }
}

/**
 * UTC: no offset, ever. No `Intl.DateTimeFormat` is built for it: the first one a process builds
 * loads the zone data, which took most of an app's start-up with 10,000 tasks.
 */
class UtcCalendar extends OffsetCalendar {
  constructor(readonly timezone: string) {
    super();
  }
  protected offset(): number {
    return 0;
  }
}

/** Zone names that are UTC itself (no daylight saving, no offset). */
const UTC_NAMES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC']);

class ZoneCalendar extends OffsetCalendar {
  private readonly format: Intl.DateTimeFormat;
  // Offsets change a few times a year at most; remembering them per quarter hour keeps wall() cheap.
  private readonly offsets = new Map<number, number>();

  constructor(readonly timezone: string) {
    super();
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

  protected offset(instant: number): number {
    // Zone transitions fall on quarter hours (UTC), so one lookup serves a whole quarter.
    const key = Math.floor(instant / 900_000);
    const known = this.offsets.get(key);
    if (known !== undefined) return known;
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(key * 900_000))) {
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
    const offset = asUtc - key * 900_000;
    if (this.offsets.size > 10_000) this.offsets.clear();
    this.offsets.set(key, offset);
    return offset;
  }
}

/**
 * The calendar for an IANA zone (`'Europe/Helsinki'`), or the process's local zone when
 * `timezone` is undefined. An unknown zone is a {@link ConfigurationError} naming `what` (and
 * the task, when it is a task's own zone).
 *
 * @example
 * ```ts
 * calendarFor('Europe/Helsinki').wall(Date.now()).hour;
 * ```
 */
export function calendarFor(
  timezone: string | undefined,
  what = 'config.timezone',
  taskName?: string,
): Calendar {
  if (timezone === undefined) return new LocalCalendar();
  if (UTC_NAMES.has(timezone)) return new UtcCalendar(timezone);
  try {
    return new ZoneCalendar(timezone);
  } catch (cause) {
    throw new ConfigurationError(
      what,
      timezone,
      "an IANA time zone name such as 'Europe/Helsinki' or 'UTC'",
      { cause, ...(taskName === undefined ? {} : { taskName }) },
    );
  }
}
