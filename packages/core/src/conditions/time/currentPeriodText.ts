import type { PeriodUnit } from './TimePeriod';

/** The words for the current occurrence of each period ("today", "this hour"), as conditions and explanations write them. */
export const CURRENT_PERIOD_TEXT: Readonly<Record<PeriodUnit, string>> = {
  second: 'this second',
  minute: 'this minute',
  hour: 'this hour',
  day: 'today',
  week: 'this week',
  month: 'this month',
};
