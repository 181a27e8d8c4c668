import type { Calendar, WallTime } from '../../time/Calendar';

/** The calendar unit a period repeats on. */
export type PeriodUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month';

/** A point inside a period: whole days from its start plus wall-clock milliseconds. */
export interface PeriodOffset {
  /** Whole days from the period's start. */
  readonly days: number;
  /** Wall-clock milliseconds into that day. */
  readonly ms: number;
}

/** One occurrence of a window: `[start, end)`. */
export interface Occurrence {
  /** When the occurrence begins, in ms since the epoch (inclusive). */
  readonly start: number;
  /** When the occurrence ends, in ms since the epoch (exclusive). */
  readonly end: number;
}

const DAY = 86_400_000;

/**
 * A window that recurs every calendar unit (`08:00-10:00` every day, Monday every week, or the
 * whole unit when both ends are open), computed in wall-clock time of a calendar so that days
 * follow the time zone's DST changes. A window whose end is not after its start wraps into the
 * next unit (`22:00-02:00`).
 */
export class TimePeriod {
  // The last answer of occurrenceAt and of nextStart. One period is shared by every task whose
  // condition holds it (`daily.at('10:00')` given to many tasks), and a pass checks them all at
  // one instant: each answer is computed once per pass instead of once per task. Both are pure
  // functions of the instant and the calendar.
  private atMemo: { t: number; cal: Calendar; occ: Occurrence | undefined } | undefined;
  private nextMemo: { t: number; cal: Calendar; start: number } | undefined;

  constructor(
    /** The calendar unit the window recurs on. */
    readonly unit: PeriodUnit,
    /** Where the window starts within the unit; `undefined` for the unit's start. */
    readonly from: PeriodOffset | undefined,
    /** Where the window ends within the unit; `undefined` for the unit's end. */
    readonly to: PeriodOffset | undefined,
  ) {}

  /** The occurrence containing `t`, if any. */
  occurrenceAt(t: number, cal: Calendar): Occurrence | undefined {
    const memo = this.atMemo;
    if (memo?.t === t && memo.cal === cal) return memo.occ;
    const occ = this.findOccurrence(t, cal);
    this.atMemo = { t, cal, occ };
    return occ;
  }

  private findOccurrence(t: number, cal: Calendar): Occurrence | undefined {
    const base = this.periodOf(cal.wall(t));
    for (const k of [0, -1]) {
      const occ = this.occurrence(cal, base, k);
      if (occ !== undefined && occ.start <= t && t < occ.end) return occ;
    }
    return undefined;
  }

  /** The occurrence containing `t`, or else the last one that ended before it. */
  latestAt(t: number, cal: Calendar): Occurrence | undefined {
    const base = this.periodOf(cal.wall(t));
    for (let k = 0; k > -14; k--) {
      const occ = this.occurrence(cal, base, k);
      if (occ !== undefined && occ.start <= t) return occ;
    }
    return undefined;
  }

  /** The start of the first occurrence that begins strictly after `t`. */
  nextStart(t: number, cal: Calendar): number {
    const memo = this.nextMemo;
    if (memo?.t === t && memo.cal === cal) return memo.start;
    const start = this.findNextStart(t, cal);
    this.nextMemo = { t, cal, start };
    return start;
  }

  private findNextStart(t: number, cal: Calendar): number {
    const base = this.periodOf(cal.wall(t));
    // A month may lack the day (the 31st); skipping a few periods is always enough.
    for (let k = 0; k < 14; k++) {
      const occ = this.occurrence(cal, base, k);
      if (occ !== undefined && occ.start > t) return occ.start;
    }
    return Infinity;
  }

  /** The wall fields at which the period containing `w` starts (hour and below zeroed per unit). */
  private periodOf(w: WallTime): WallTime {
    switch (this.unit) {
      case 'second':
        return { ...w, millisecond: 0 };
      case 'minute':
        return { ...w, second: 0, millisecond: 0 };
      case 'hour':
        return { ...w, minute: 0, second: 0, millisecond: 0 };
      case 'day':
        return { ...w, hour: 0, minute: 0, second: 0, millisecond: 0 };
      case 'week':
        return { ...w, day: w.day - w.weekday, weekday: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
      case 'month':
        return { ...w, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 };
    }
  }

  /** The instant `offset` into the period `k` units after `base`; `undefined` if that day does not exist. */
  private at(cal: Calendar, base: WallTime, k: number, offset: PeriodOffset): number | undefined {
    const { year, hour, minute } = base;
    let { month, day } = base;
    switch (this.unit) {
      case 'second':
        return cal.instant(year, month, day, hour, minute, base.second + k, offset.ms);
      case 'minute':
        return cal.instant(year, month, day, hour, minute + k, 0, offset.ms);
      case 'hour':
        return cal.instant(year, month, day, hour + k, 0, 0, offset.ms);
      case 'day':
        day += k + offset.days;
        break;
      case 'week':
        day += 7 * k + offset.days;
        break;
      case 'month': {
        month += k;
        const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
        if (offset.days >= length) return undefined;
        day = 1 + offset.days;
        break;
      }
    }
    // Whole days first, then the time of day as wall time, so DST days keep their hours.
    const h = Math.floor(offset.ms / 3_600_000);
    const rest = offset.ms - h * 3_600_000;
    return cal.instant(year, month, day, h, 0, 0, rest);
  }

  private occurrence(cal: Calendar, base: WallTime, k: number): Occurrence | undefined {
    const from = this.from ?? { days: 0, ms: 0 };
    const start = this.at(cal, base, k, from);
    if (start === undefined) return undefined;
    if (this.to === undefined) {
      const end = this.at(cal, base, k + 1, { days: 0, ms: 0 });
      return end === undefined ? undefined : { start, end };
    }
    const length = (this.to.days - from.days) * DAY + (this.to.ms - from.ms);
    // A window whose end is not after its start wraps into the next period (22:00-02:00).
    let end = this.at(cal, base, length > 0 ? k : k + 1, this.to);
    if (end === undefined) end = this.at(cal, base, k + 1, { days: 0, ms: 0 });
    if (end === undefined) return undefined;
    // Both ends inside a skipped DST hour land on the same instant: keep the window's length.
    if (end <= start) end = start + Math.max(length, 1000);
    return { start, end };
  }
}
