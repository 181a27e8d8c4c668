/**
 * Ported from Rocketry's rocketry/test/condition/test_api.py (Miksus/rocketry). Rocketry checks
 * that each condition built with its public API (`rocketry.conds`) equals the condition class
 * written out by hand (`TaskExecutable(period=TimeOfDay("10:00", "12:00"))`). Apogee has no public
 * condition classes: the written-out form is the string language, so each case checks that the
 * builder prints the same condition as the string of the class form, parsed.
 *
 * Differences on purpose, left out:
 * - `time_of_second.starting(500)` and `time_of_minute.starting(45.00)`: a "time of" window
 *   anchored at a point covers the whole cycle (always true); Apogee's window builders have
 *   `between/before/after/on` only.
 * - Points in a minute are seconds: `minutely.after("45:00")` is `minutely.after('45')`.
 * - `every(..., based="finish"|"success"|"fail")`: Apogee's `every` counts from the last start;
 *   write `daily`-style periods or `succeeded().today` for the other bases. `test_fail`
 *   (`based="oops"`) has no counterpart.
 * - `running("mytask").more_than("10 mins")` and counts (`running("mytask") > 2`): `running(t)`
 *   is a yes/no without a period (see the README table).
 * - `retry` without a count (infinite retries): `retry(n)` takes a count.
 * - `cron(minute=..., hour=...)` keyword form and `crontime`: Apogee's `cron` takes the expression.
 * - `test_deprecated`: Rocketry's deprecated call forms have no counterpart.
 */
import { conditionContext } from '@apogee/test-utils';
import { parseCondition } from '../conditions/parse/parseCondition';
import type { Condition, Evaluation } from '../conditions/Condition';
import { PeriodCondition } from '../conditions/time/PeriodCondition';
import { calendarFor } from '../time/Calendar';
import {
  afterAllFail,
  afterAllFinish,
  afterAllSuccess,
  afterAnyFail,
  afterAnyFinish,
  afterAnySuccess,
  afterFail,
  afterFinish,
  afterSuccess,
  always,
  cron,
  daily,
  every,
  failed,
  finished,
  hourly,
  minutely,
  monthly,
  never,
  retry,
  running,
  schedulerCycles,
  schedulerRunning,
  secondly,
  started,
  succeeded,
  timeOfDay,
  timeOfHour,
  timeOfMonth,
  timeOfWeek,
  weekly,
} from '../index';

const parse = (input: string): Condition => parseCondition(input, new Set());

type Case = [string, Condition, string];

const params_basic: Case[] = [
  ['true', always, 'true'],
  ['false', never, 'false'],
];

const params_time: Case[] = [
  ['time of hour after', timeOfHour.after('45:00'), 'time of hour after 45:00'],
  ['time of day after', timeOfDay.after('10:00'), 'time of day after 10:00'],
  ['time of day before', timeOfDay.before('10:00'), 'time of day before 10:00'],
  ['time of day between', timeOfDay.between('10:00', '12:00'), 'time of day between 10:00 and 12:00'],
  ['time of week on', timeOfWeek.on('Monday'), 'time of week on Monday'],
  ['time of month between', timeOfMonth.between('1st', '5th'), 'time of month between 1st and 5th'],
];

const params_task_exec: Case[] = [
  ['every', every('10 minutes'), 'every 10 minutes'],
  ['secondly', secondly, 'secondly'],
  ['minutely', minutely, 'minutely'],
  ['hourly', hourly, 'hourly'],
  ['daily', daily, 'daily'],
  ['weekly', weekly, 'weekly'],
  ['minutely after', minutely.after('45'), 'minutely after 45'],
  ['minutely before', minutely.before('45'), 'minutely before 45'],
  ['hourly after', hourly.after('10:00'), 'hourly after 10:00'],
  ['hourly before', hourly.before('10:00'), 'hourly before 10:00'],
  ['hourly between', hourly.between('10:00', '12:00'), 'hourly between 10:00 and 12:00'],
  ['hourly starting', hourly.starting('10:00'), 'hourly starting 10:00'],
  ['daily between', daily.between('10:00', '12:00'), 'daily between 10:00 and 12:00'],
];

// Instants from Monday 2026-06-01 00:00 UTC: each second for 2 minutes, each minute for 2 days
// and each hour for 35 days, so windows of every unit are entered and left.
const SAMPLES: readonly number[] = (() => {
  const origin = Date.parse('2026-06-01T00:00:00Z');
  const steps: [number, number][] = [
    [1000, 120],
    [60_000, 2 * 24 * 60],
    [3_600_000, 35 * 24],
  ];
  return steps.flatMap(([step, count]) => Array.from({ length: count }, (_, i) => origin + i * step));
})();

// `at` prints as written (`daily at 10:00`): these compare the period, which is Rocketry's
// `TimeOfDay("10:00", "11:00")` and Apogee's `between`.
const params_at: Case[] = [
  ['secondly at', secondly.at('45'), 'secondly between 45 and 46'],
  ['minutely at', minutely.at('45'), 'minutely between 45 and 46'],
  ['hourly at', hourly.at('30:00'), 'hourly between 30:00 and 31:00'],
  ['daily at', daily.at('10:00:00'), 'daily between 10:00 and 11:00'],
  ['weekly at', weekly.at('Monday'), 'weekly on Monday'],
  ['monthly at', monthly.at('1st'), 'monthly on 1st'],
  ['daily at end', daily.at('23:00:00'), 'daily between 23:00 and 24:00'],
  ['daily at specific', daily.at('23:00:01'), 'daily between 23:00:01 and 00:00:01'],
];

const params_pipeline: Case[] = [
  ['after finish', afterFinish('other'), "after task 'other' finished"],
  ['after success', afterSuccess('other'), "after task 'other' succeeded"],
  ['after fail', afterFail('other'), "after task 'other' failed"],
  [
    'after all finish',
    afterAllFinish('do_a', 'do_b'),
    "after task 'do_a' finished & after task 'do_b' finished",
  ],
  [
    'after all success',
    afterAllSuccess('do_a', 'do_b'),
    "after task 'do_a' succeeded & after task 'do_b' succeeded",
  ],
  ['after all fail', afterAllFail('do_a', 'do_b'), "after task 'do_a' failed & after task 'do_b' failed"],
  [
    'after any finish',
    afterAnyFinish('do_a', 'do_b'),
    "after task 'do_a' finished | after task 'do_b' finished",
  ],
  [
    'after any success',
    afterAnySuccess('do_a', 'do_b'),
    "after task 'do_a' succeeded | after task 'do_b' succeeded",
  ],
  ['after any fail', afterAnyFail('do_a', 'do_b'), "after task 'do_a' failed | after task 'do_b' failed"],
];

const params_action: Case[] = [
  ['has failed (self)', failed(), 'has failed'],
  ['has succeeded (self)', succeeded(), 'has succeeded'],
  ['has started (self)', started(), 'has started'],
  ['has finished (self)', finished(), 'has finished'],
  ['has failed', failed('a_task'), "task 'a_task' has failed"],
  ['has succeeded', succeeded('a_task'), "task 'a_task' has succeeded"],
  ['has started', started('a_task'), "task 'a_task' has started"],
  ['has finished', finished('a_task'), "task 'a_task' has finished"],
  ['has started (this minute)', started('a_task').thisMinute, "task 'a_task' has started this minute"],
  ['has failed (this day)', failed('a_task').today, "task 'a_task' has failed today"],
  [
    'has succeeded (today between)',
    succeeded('a_task').today.between('12:00', '15:00'),
    "task 'a_task' has succeeded today between 12:00 and 15:00",
  ],
  [
    'has finished (this day between)',
    finished('a_task').today.between('12:00', '15:00'),
    "task 'a_task' has finished today between 12:00 and 15:00",
  ],
  ['has started (this week)', started('a_task').thisWeek, "task 'a_task' has started this week"],
  [
    'has succeeded (this week before)',
    succeeded('a_task').thisWeek.before('Mon'),
    "task 'a_task' has succeeded this week before Mon",
  ],
  ['Retry twice', retry(2), 'retry 2'],
];

const params_running: Case[] = [
  ['is running', running(), 'is running'],
  ['is running (task)', running('mytask'), "task 'mytask' is running"],
];

const params_schedule: Case[] = [
  [
    'scheduler running (at least)',
    schedulerRunning({ moreThan: '10 minutes' }),
    'scheduler has run over 10 minutes',
  ],
  ['scheduler cycles (at least)', schedulerCycles({ moreThan: 5 }), 'scheduler has more than 5 cycles'],
  ['scheduler cycles (less than)', schedulerCycles({ lessThan: 5 }), 'scheduler has less than 5 cycles'],
  [
    'scheduler cycles (between)',
    schedulerCycles({ moreThan: 1, lessThan: 5 }),
    'scheduler has more than 1 cycles & scheduler has less than 5 cycles',
  ],
];

const cron_like: Case[] = [['cron 1 2 3 4 5', cron('1 2 3 4 5'), 'cron 1 2 3 4 5']];

describe('test_api', () => {
  it.each<Case>([
    ...params_basic,
    ...params_time,
    ...params_task_exec,
    ...params_pipeline,
    ...params_action,
    ...params_running,
    ...params_schedule,
    ...cron_like,
  ])('%s', (_id, built, written) => {
    expect(built.toString()).toBe(parse(written).toString());
  });
});

function periodOf(condition: Condition): PeriodCondition['period'] {
  if (!(condition instanceof PeriodCondition))
    throw new Error(`${condition.toString()} is not a period condition`);
  return condition.period;
}

describe('test_api (at)', () => {
  it.each<Case>(params_at)('%s', (_id, built, written) => {
    const calendar = calendarFor('UTC');
    const a = periodOf(built);
    const b = periodOf(parse(written));
    for (const t of SAMPLES)
      expect([t, a.occurrenceAt(t, calendar)]).toEqual([t, b.occurrenceAt(t, calendar)]);
  });
});

describe('test_observe', () => {
  // As in Rocketry, only that checking does not throw for a task that never ran, not the value.
  it.each<[string, Condition]>([
    ['Retry', retry(1)],
    ['Finished', finished()],
    ['Daily', daily],
  ])('%s', (_id, condition) => {
    const context = conditionContext({ now: '2026-05-04T08:00:00Z', timezone: 'UTC', taskName: 'mytask' });
    const evaluation = condition.evaluate(context) as Evaluation;
    expect(typeof evaluation.value).toBe('boolean');
  });
});
