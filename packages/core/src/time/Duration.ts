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
 * A length of time: milliseconds as a number, or `'<n> <unit>'` checked at compile time.
 *
 * @example
 * ```ts
 * const a: Duration = '10 seconds';
 * const b: Duration = '1.5 hours';
 * const c: Duration = 200; // ms
 * ```
 */
export type Duration = number | `${number} ${TimeUnit}`;

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

const PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)\s*$/i;

/**
 * Milliseconds in `input`. Strings are `'<n> <unit>'` (`'10 seconds'`, `'200 ms'`, `'1.5 hours'`);
 * anything else is a {@link ConfigurationError} that quotes the input and lists the units.
 */
export function toMilliseconds(input: number | string, what = 'Duration'): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0 && input <= MAX_MS) return input;
    throw new ConfigurationError(what, input, `a number of milliseconds from 0 to ${String(MAX_MS)}`);
  }
  const match = PATTERN.exec(input);
  const unit = match?.[2]?.toLowerCase();
  const factor = unit === undefined ? undefined : UNIT_MS[unit];
  if (match?.[1] === undefined || factor === undefined) {
    throw new ConfigurationError(
      what,
      input,
      `'<number> <unit>' with unit one of ms, second(s), s, minute(s), min, hour(s), h, day(s), d, week(s) (e.g. '10 seconds')`,
    );
  }
  const ms = Number(match[1]) * factor;
  if (ms > MAX_MS)
    throw new ConfigurationError(
      what,
      input,
      `a duration of at most ${String(MAX_MS)} ms (about 31,700 years)`,
    );
  return ms;
}
