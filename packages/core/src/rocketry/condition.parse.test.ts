/**
 * Ported from Rocketry's rocketry/test/condition/test_parse.py (Miksus/rocketry). Rocketry
 * compares each parsed string with a condition object built by hand (`test_string`) and with the
 * parse of its own string form (`test_back_to_string`). Apogee's conditions print themselves in
 * the string language, so both become: the string parses, printing and parsing again gives the
 * same condition, and (for the time forms) it equals the builder written out.
 *
 * Differences on purpose:
 * - A string that does not parse is a `ConditionSyntaxError` (Rocketry: `ParserError`, or an
 *   `IndexError` for a dangling `&`/`|`).
 * - `minutely starting 45:00` is refused: a point in a minute is seconds (`'45'`, `'45.5'`).
 *   Rocketry's minute parser searches the text for two digits and ignores the rest, so `45:00`
 *   and `45:59` both mean 45 seconds there.
 */
import { ConditionSyntaxError } from '../errors/ConditionSyntaxError';
import { parseCondition } from '../conditions/parse/parseCondition';
import type { Condition } from '../conditions/Condition';
import {
  daily,
  every,
  hourly,
  monthly,
  schedulerCycles,
  timeOfDay,
  timeOfHour,
  timeOfMonth,
  timeOfWeek,
  weekly,
} from '../index';

const parse = (input: string): Condition => parseCondition(input, new Set());

const cases_logical = [
  'always true',
  'always false',
  'true',
  'false',
  'always true & always false',
  'always true | always false',
  '~ always false',
];
const cases_task = [
  "task 'mytask' is running",
  "after task 'other'",
  "after task 'other' succeeded",
  "after task 'other' failed",
  "after task 'other' finished",
  "after task 'group1.group-2.mytask+'",
  "after tasks 'first', 'second', 'third'",
  "after tasks 'first', 'second', 'third' succeeded",
  "after tasks 'first', 'second', 'third' failed",
  "after tasks 'first', 'second', 'third' finished",
  "after any tasks 'first', 'second', 'third' succeeded",
  "after any tasks 'first', 'second', 'third' failed",
  "after any tasks 'first', 'second', 'third' finished",
  'has failed today',
  "task 'mytask' has succeeded today between 10:00 and 12:00",
  "task 'mytask' has succeeded this week between Mon and Fri",
  "task 'mytask' has succeeded this month between 1st and 5th",
  "task 'mytask' has succeeded today before 10:00",
  "task 'mytask' has succeeded today",
  "task 'mytask' has succeeded",
  "task 'mytask' has succeeded in past 15 minutes",
  "task 'mytask' has succeeded past 15 minutes",
  "task 'mytask' has failed today between 10:00 and 12:00",
  "task 'mytask' has failed this week between Mon and Fri",
  "task 'mytask' has failed this month between 1st and 5th",
  "task 'mytask' has failed today before 10:00",
  "task 'mytask' has failed today",
  "task 'mytask' has failed",
  "task 'mytask' has failed in past 15 minutes",
  "task 'mytask' has failed past 15 minutes",
  "task 'mytask' has terminated today between 10:00 and 12:00",
  "task 'mytask' has terminated this week between Mon and Fri",
  "task 'mytask' has terminated this month between 1st and 5th",
  "task 'mytask' has terminated today before 10:00",
  "task 'mytask' has terminated today",
  "task 'mytask' has terminated",
  "task 'mytask' has terminated in past 15 minutes",
  "task 'mytask' has terminated past 15 minutes",
  "task 'mytask' has inacted today between 10:00 and 12:00",
  "task 'mytask' has inacted this week between Mon and Fri",
  "task 'mytask' has inacted this month between 1st and 5th",
  "task 'mytask' has inacted today before 10:00",
  "task 'mytask' has inacted today",
  "task 'mytask' has inacted",
  "task 'mytask' has inacted in past 15 minutes",
  "task 'mytask' has inacted past 15 minutes",
  "task 'mytask' has started today between 10:00 and 12:00",
  "task 'mytask' has started this week between Mon and Fri",
  "task 'mytask' has started this month between 1st and 5th",
  "task 'mytask' has started today before 10:00",
  "task 'mytask' has started today",
  "task 'mytask' has started",
  "task 'mytask' has started in past 15 minutes",
  "task 'mytask' has started past 15 minutes",
];
const cases_time = [
  'secondly',
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'secondly starting 500',
  'hourly starting 45:00',
  'daily starting 10:00',
  'weekly starting Tuesday',
  'monthly starting 1.',
  'hourly between 45:00 and 50:00',
  'daily between 10:00 and 14:00',
  'weekly between Tuesday and Wednesday',
  'monthly between 1. and 15.',
  'hourly after 45:00',
  'daily after 10:00',
  'weekly after Tuesday',
  'monthly after 1.',
  'hourly before 45:00',
  'daily before 10:00',
  'weekly before Tuesday',
  'monthly before 1.',
  'weekly on Tuesday',
  'every 1 hours',
  'every 1 days 1 hours 30 minutes 30 seconds',
  'time of hour between 45:00 and 50:00',
  'time of day between 10:00 and 14:00',
  'time of week between Tuesday and Wednesday',
  'time of month between 1st and 2nd',
  'time of hour after 45:00',
  'time of day after 10:00',
  'time of week after Tuesday',
  'time of month after 1.',
  'time of hour before 45:00',
  'time of day before 10:00',
  'time of week before Tuesday',
  'time of week on Tuesday',
  'time of month before 1.',
];
const cases_misc = [
  '(true & true)\n        | (false & ~\n        false)',
  "env 'test'",
  "param 'x' exists",
  "param 'x' is 'myval'",
];
const cases_scheduler = [
  'scheduler has more than 3 cycles',
  'scheduler has less than 3 cycles',
  'scheduler started 20 minutes ago',
  'scheduler has run over 20 minutes',
];
const cron = ['cron * * * * *', 'cron 1 2 3 4 5'];
const cases = [...cases_logical, ...cases_task, ...cases_time, ...cases_misc, ...cases_scheduler, ...cron];

describe('test_string and test_back_to_string', () => {
  it.each(cases)('%s', (input) => {
    const printed = parse(input).toString();
    expect(parse(printed).toString()).toBe(printed);
  });
});

describe('test_string: the time forms equal their builders', () => {
  it.each<[string, Condition]>([
    ['hourly between 45:00 and 50:00', hourly.between('45:00', '50:00')],
    ['daily starting 10:00', daily.starting('10:00')],
    ['weekly starting Tuesday', weekly.starting('Tuesday')],
    ['monthly starting 1.', monthly.starting('1.')],
    ['daily between 10:00 and 14:00', daily.between('10:00', '14:00')],
    ['weekly between Tuesday and Wednesday', weekly.between('Tuesday', 'Wednesday')],
    ['monthly between 1. and 15.', monthly.between('1.', '15.')],
    ['monthly after 1.', monthly.after('1.')],
    ['weekly before Tuesday', weekly.before('Tuesday')],
    ['monthly before 1.', monthly.before('1.')],
    ['weekly on Tuesday', weekly.on('Tuesday')],
    ['every 1 hours', every('1 hours')],
    ['every 1 days 1 hours 30 minutes 30 seconds', every('1 days 1 hours 30 minutes 30 seconds')],
    ['time of hour between 45:00 and 50:00', timeOfHour.between('45:00', '50:00')],
    ['time of day between 10:00 and 14:00', timeOfDay.between('10:00', '14:00')],
    ['time of week between Tuesday and Wednesday', timeOfWeek.between('Tuesday', 'Wednesday')],
    ['time of month between 1st and 2nd', timeOfMonth.between('1st', '2nd')],
    ['time of month after 1.', timeOfMonth.after('1.')],
    ['time of week before Tuesday', timeOfWeek.before('Tuesday')],
    ['time of week on Tuesday', timeOfWeek.on('Tuesday')],
    ['time of month before 1.', timeOfMonth.before('1.')],
    ['scheduler has more than 3 cycles', schedulerCycles({ moreThan: 3 })],
    ['scheduler has less than 3 cycles', schedulerCycles({ lessThan: 3 })],
  ])('%s', (input, built) => {
    expect(parse(input).toString()).toBe(built.toString());
  });
});

describe('test_failure', () => {
  it.each(['this is not valid', 'true &', 'true |', '& true', '| true', 'after tasks missing quotes'])(
    '%s',
    (input) => {
      expect(() => parse(input)).toThrow(ConditionSyntaxError);
    },
  );

  it('minutely starting 45:00 (a difference: seconds are written 45)', () => {
    expect(() => parse('minutely starting 45:00')).toThrow(ConditionSyntaxError);
  });
});
