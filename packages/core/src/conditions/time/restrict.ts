import { parseTimePoint } from './parseTimePoint';
import { TimePeriod, type PeriodUnit } from './TimePeriod';

/** The sub-unit `at`/`on` spans: `daily.at('10:00')` is 10:00-11:00, `weekly.on('Mon')` all Monday. */
const AT_SPAN: Readonly<Record<PeriodUnit, number>> = {
  second: 1,
  minute: 1000,
  hour: 60_000,
  day: 3_600_000,
  week: 86_400_000,
  month: 86_400_000,
};

/** A restricted period and its text in the string language. */
export interface Restriction {
  readonly period: TimePeriod;
  readonly text: string;
}

const shift = (o: { days: number; ms: number }, ms: number) => ({ days: o.days, ms: o.ms + ms });

/**
 * The window `[a, b)` inside each `unit`. A written point that names a whole day ('Friday',
 * '15th') ends at that day's end; a clock time ends at that instant.
 */
export function between(unit: PeriodUnit, a: string, b: string, what: string): Restriction {
  const from = parseTimePoint(unit, a, what);
  const to = parseTimePoint(unit, b, what);
  return {
    period: new TimePeriod(unit, from.offset, shift(to.offset, to.span)),
    text: `between ${a} and ${b}`,
  };
}

/**
 * From the start of each `unit` until `b`. A named day ('Tuesday', '10th') is included, as the
 * end of `between` is: `before('1st')` is the first day, never an empty window that would wrap
 * into the whole month.
 */
export function before(unit: PeriodUnit, b: string, what: string): Restriction {
  const to = parseTimePoint(unit, b, what);
  return {
    period: new TimePeriod(unit, undefined, shift(to.offset, to.span)),
    text: `before ${b}`,
  };
}

/** From `a` until the end of each `unit`. */
export function after(unit: PeriodUnit, a: string, what: string): Restriction {
  return {
    period: new TimePeriod(unit, parseTimePoint(unit, a, what).offset, undefined),
    text: `after ${a}`,
  };
}

/** A whole period anchored at `x` instead of at the unit's start: `hourly.starting('15')` runs :15 to :15. */
export function starting(unit: PeriodUnit, x: string, what: string): Restriction {
  const point = parseTimePoint(unit, x, what).offset;
  return { period: new TimePeriod(unit, point, point), text: `starting ${x}` };
}

/** One sub-unit starting at `x` (an hour for days, a day for weeks and months, ...). */
export function at(unit: PeriodUnit, x: string, what: string): Restriction {
  const point = parseTimePoint(unit, x, what);
  return {
    period: new TimePeriod(unit, point.offset, shift(point.offset, Math.max(point.span, AT_SPAN[unit]))),
    text: `at ${x}`,
  };
}
