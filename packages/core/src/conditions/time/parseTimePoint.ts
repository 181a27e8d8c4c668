import { ConfigurationError } from '../../errors/ConfigurationError';
import type { PeriodOffset, PeriodUnit } from './TimePeriod';

/** A parsed point in a period and the span it names (a weekday names a whole day). */
export interface TimePoint {
  readonly offset: PeriodOffset;
  /** How long the written point lasts: 0 for a clock time, a day for `'Monday'` or `'15th'`. */
  readonly span: number;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const EXPECTED: Readonly<Record<PeriodUnit, string>> = {
  second: "milliseconds into the second, e.g. '500'",
  minute: "seconds into the minute, e.g. '30' or '30.5'",
  hour: "minutes (and seconds) into the hour, e.g. '15' or '15:30'",
  day: "a time of day, e.g. '08:00', '8:30:15' or '14'",
  week: "a weekday, optionally with a time, e.g. 'Monday', 'Fri 17:00'",
  month: "a day of the month, optionally with a time, e.g. '1st', '15th', '15.', '15 12:00'",
};

function clock(text: string): number | undefined {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}(?:\.\d+)?))?$/.exec(text);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 24 || min > 59 || s >= 60 || (h === 24 && (min > 0 || s > 0))) return undefined;
  return ((h * 60 + min) * 60 + s) * 1000;
}

/**
 * Parses `text` as a point inside a `unit` (`'08:00'` in a day, `'Monday'` in a week, `'15th'`
 * in a month). A point that does not fit is a {@link ConfigurationError} quoting it.
 */
export function parseTimePoint(unit: PeriodUnit, text: string, what: string): TimePoint {
  const t = text.trim();
  let result: TimePoint | undefined;
  switch (unit) {
    case 'second': {
      const ms = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
      if (ms < 1000) result = { offset: { days: 0, ms }, span: 0 };
      break;
    }
    case 'minute': {
      const s = /^\d{1,2}(\.\d+)?$/.test(t) ? Number(t) : NaN;
      if (s < 60) result = { offset: { days: 0, ms: s * 1000 }, span: 0 };
      break;
    }
    case 'hour': {
      const m = /^(\d{1,2})(?::(\d{2}(?:\.\d+)?))?$/.exec(t);
      const min = Number(m?.[1]);
      const s = m?.[2] === undefined ? 0 : Number(m[2]);
      if (m !== null && min < 60 && s < 60)
        result = { offset: { days: 0, ms: (min * 60 + s) * 1000 }, span: 0 };
      break;
    }
    case 'day': {
      const ms = clock(t);
      if (ms !== undefined) result = { offset: { days: 0, ms }, span: 0 };
      break;
    }
    case 'week': {
      const [name = '', time] = t.split(/\s+/, 2);
      const day = WEEKDAYS.indexOf(name.slice(0, 3).toLowerCase());
      const ms = time === undefined ? 0 : clock(time);
      const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][day];
      const nameOk = day >= 0 && (name.length === 3 || full === name.toLowerCase());
      if (nameOk && ms !== undefined)
        result = { offset: { days: day, ms }, span: time === undefined ? 86_400_000 : 0 };
      break;
    }
    case 'month': {
      // '15th', '15' and Rocketry's '15.' all name the 15th.
      const m = /^(\d{1,2})(?:st|nd|rd|th|\.)?(?:\s+(.+))?$/i.exec(t);
      const day = Number(m?.[1]);
      const ms = m?.[2] === undefined ? 0 : clock(m[2]);
      if (m !== null && day >= 1 && day <= 31 && ms !== undefined) {
        result = { offset: { days: day - 1, ms }, span: m[2] === undefined ? 86_400_000 : 0 };
      }
      break;
    }
  }
  if (result === undefined) throw new ConfigurationError(what, text, EXPECTED[unit]);
  return result;
}
