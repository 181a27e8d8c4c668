import { ConfigurationError } from '../errors/ConfigurationError';

/** Units accepted in a duration string. */
export type TimeUnit =
  | 'ms'
  | 'millisecond'
  | 'milliseconds'
  | 's'
  | 'second'
  | 'seconds'
  | 'min'
  | 'minute'
  | 'minutes'
  | 'h'
  | 'hour'
  | 'hours'
  | 'd'
  | 'day'
  | 'days'
  | 'week'
  | 'weeks';

/**
 * A length of time: milliseconds as a number, or `'<n> <unit>'`, or several such parts added
 * up (`'1 days 1 hours 30 minutes 30 seconds'`, as Rocketry reads it). The first part is checked
 * at compile time, the rest when the duration is read.
 *
 * @example
 * ```ts
 * const a: Duration = '10 seconds';
 * const b: Duration = '1.5 hours';
 * const c: Duration = 200; // ms
 * const d: Duration = '1 hour 30 minutes';
 * ```
 */
export type Duration = number | `${number} ${TimeUnit}` | `${number} ${TimeUnit} ${string}`;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/**
 * The longest duration accepted, about 31,700 years. Past it, `now + duration` leaves the range
 * a `Date` can hold (±8.64e15 ms), and a string of hundreds of digits would otherwise become an
 * infinite interval.
 */
const MAX_MS = 1e15;

/** One `<number> <unit>` part; parts may be separated by spaces, commas or `and`. */
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)/iy;
const SEPARATOR = /(?:\s*,\s*|\s+and\s+|\s*)/y;

const EXPECTED_FORM =
  "'<number> <unit>', or several added up ('1 hour 30 minutes'), with unit one of ms, second(s), s, " +
  "minute(s), min, hour(s), h, day(s), d, week(s) (e.g. '10 seconds')";

/** The milliseconds of each part of `text`, or `undefined` when it is not a list of parts. */
function parts(text: string): number[] | undefined {
  const t = text.trim();
  const found: number[] = [];
  let at = 0;
  while (at < t.length) {
    if (found.length > 0) {
      SEPARATOR.lastIndex = at;
      at += SEPARATOR.exec(t)?.[0].length ?? 0;
    }
    PART.lastIndex = at;
    const m = PART.exec(t);
    const factor = m?.[2] === undefined ? undefined : UNIT_MS[m[2].toLowerCase()];
    if (m?.[1] === undefined || factor === undefined) return undefined;
    found.push(Number(m[1]) * factor);
    at = PART.lastIndex;
  }
  return found.length === 0 ? undefined : found;
}

/**
 * Milliseconds in `input`. Strings are `'<n> <unit>'` (`'10 seconds'`, `'200 ms'`, `'1.5 hours'`)
 * or several such parts added up (`'1 days 1 hours 30 minutes 30 seconds'`); anything else is a
 * {@link ConfigurationError} that quotes the input and lists the units.
 */
export function toMilliseconds(input: number | string, what = 'Duration'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0 && input <= MAX_MS) return input;
    throw new ConfigurationError(what, input, `a number of milliseconds from 0 to ${String(MAX_MS)}`);
  }
  const found = parts(input);
  if (found === undefined) throw new ConfigurationError(what, input, EXPECTED_FORM);
  const ms = found.reduce((sum, part) => sum + part, 0);
  if (ms > MAX_MS)
    throw new ConfigurationError(
      what,
      input,
      `a duration of at most ${String(MAX_MS)} ms (about 31,700 years)`,
    );
  return ms;
}
