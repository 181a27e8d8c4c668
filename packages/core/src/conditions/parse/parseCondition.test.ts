import { conditionContext } from '@apogee/test-utils';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import type { Evaluation } from '../Condition';
import { All, Any, Not } from '../Condition';
import { CustomCondition } from '../custom/CustomCondition';
import { parseCondition } from './parseCondition';

const parse = (input: string, custom: string[] = []) => parseCondition(input, new Set(custom));

describe('parseCondition', () => {
  it.each([
    ['true', 'true'],
    ['always false', 'false'],
    ['every 10 seconds', 'every 10 seconds'],
    ['daily', 'daily'],
    ['daily between 08:00 and 10:00', 'daily between 08:00 and 10:00'],
    ['daily after 18:00', 'daily after 18:00'],
    ['weekly on Monday', 'weekly on Monday'],
    ['monthly at 1st', 'monthly at 1st'],
    ['hourly before 30', 'hourly before 30'],
    ['time of day between 08:00 and 20:00', 'time of day between 08:00 and 20:00'],
    ['time of week on Friday', 'time of week on Friday'],
    ['cron */5 * * * *', 'cron */5 * * * *'],
    ["after task 'fetch'", "after task 'fetch' succeeded"],
    ["after task 'fetch' failed", "after task 'fetch' failed"],
    ["after tasks 'a', 'b' finished", "after task 'a' finished & after task 'b' finished"],
    ["after any tasks 'a', 'b'", "after task 'a' succeeded | after task 'b' succeeded"],
    ["task 'x' has succeeded today", "task 'x' has succeeded today"],
    ['has failed this hour', 'has failed this hour'],
    ["while task 'x' is running", "task 'x' is running"],
    ['retry 3', 'retry 3'],
    ['scheduler has more than 3 cycles', 'scheduler has more than 3 cycles'],
    ['scheduler has run over 1 hour', 'scheduler has run over 1 hour'],
    ['secondly', 'secondly'],
    ['hourly starting 15', 'hourly starting 15'],
    ['time of second before 500', 'time of second before 500'],
    ["task 'x' has terminated", "task 'x' has terminated"],
    ['has inacted this week', 'has inacted this week'],
    [
      "task 'x' has started today between 08:00 and 10:00",
      "task 'x' has started today between 08:00 and 10:00",
    ],
    ["task 'x' has failed past 1 hour", "task 'x' has failed past 1 hour"],
    ["task 'x' has failed in past 10 minutes", "task 'x' has failed past 10 minutes"],
    ['scheduler started 5 minutes ago', '~scheduler has run over 5 minutes'],
    ['scheduler has 3 cycles', 'scheduler has 3 cycles'],
    ['always', 'true'],
    ['never', 'false'],
    ['monthly between 1. and 15.', 'monthly between 1. and 15.'],
    ['monthly starting 1.', 'monthly starting 1.'],
    ['time of month after 1.', 'time of month after 1.'],
    ['every 1 days 1 hours 30 minutes 30 seconds', 'every 1 days 1 hours 30 minutes 30 seconds'],
    ['scheduler has less than 3 cycles', 'scheduler has less than 3 cycles'],
    ["env 'prod'", "env 'prod'"],
    ["param 'region' exists", "param 'region' exists"],
    ["param 'region' is 'eu'", "param 'region' is 'eu'"],
  ])('parses %p', (input, printed) => {
    expect(parse(input).toString()).toBe(printed);
  });

  it('evaluates the Rocketry-only atoms: status windows, past spans, session parameters', () => {
    const at = (iso: string) => new Date(iso).getTime();
    const ctx = conditionContext({
      now: '2026-05-04T12:00:00Z',
      timezone: 'UTC',
      states: { x: { lastRun: at('2026-05-04T09:00:00Z'), lastFail: at('2026-05-04T11:30:00Z') } },
      params: { env: 'prod', region: 'eu' },
    });
    const value = (input: string) => (parse(input).evaluate(ctx) as Evaluation).value;
    expect(value("task 'x' has started today between 08:00 and 10:00")).toBe(true);
    expect(value("task 'x' has started today between 10:00 and 11:00")).toBe(false);
    expect(value("task 'x' has failed past 1 hour")).toBe(true);
    expect(value("task 'x' has failed past 10 minutes")).toBe(false);
    expect(value("env 'prod'")).toBe(true);
    expect(value("env 'dev'")).toBe(false);
    expect(value("param 'region' is 'eu'")).toBe(true);
    expect(value("param 'zone' exists")).toBe(false);
  });

  it('binds ~ tighter than &, and & tighter than |, with parentheses overriding', () => {
    const c = parse('every 1 minute | ~daily & time of day after 08:00');
    expect(c).toBeInstanceOf(Any);
    expect(c.children[1]).toBeInstanceOf(All);
    expect(c.children[1]?.children[0]).toBeInstanceOf(Not);
    const grouped = parse('(every 1 minute | daily) & time of day after 08:00');
    expect(grouped).toBeInstanceOf(All);
    expect(grouped.toString()).toBe('(every 1 minute | daily) & time of day after 08:00');
  });

  it('reads registered custom conditions by name', () => {
    const c = parse('is foo & every 1 minute', ['is foo']);
    expect(c.children[0]).toBeInstanceOf(CustomCondition);
  });

  it('keeps quoted task names with spaces and operator characters', () => {
    expect(parse("after task 'load & store'").toString()).toBe("after task 'load & store' succeeded");
  });

  function syntaxError(input: string, custom: string[] = []): ConditionSyntaxError {
    try {
      parse(input, custom);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) return error;
      throw error;
    }
    throw new Error(`"${input}" parsed`);
  }

  it('shows the input, the position and the nearest keyword for a misspelling', () => {
    const error = syntaxError('every 1 minute & dailly');
    expect(error.position).toBe(17);
    expect(error.message).toContain('Cannot parse condition "every 1 minute & dailly" at position 17');
    expect(error.message).toContain("Did you mean 'daily'");
    expect(error.message).toContain('every 1 minute & dailly\n                   ^');
  });

  it('suggests registered custom conditions too', () => {
    expect(syntaxError('is fooo', ['is foo']).message).toContain("Did you mean 'is foo'");
  });

  it('reports a bad value inside a known form, an unclosed parenthesis and a dangling operator', () => {
    expect(syntaxError('daily between 08:00 and 25:00').message).toMatch(
      /is not a valid condition \(daily.between: "25:00"/,
    );
    expect(syntaxError('every 10 parsecs').message).toContain('every: "10 parsecs" is not valid');
    expect(syntaxError('(daily | every 1 minute').message).toContain(
      "expected ')' to close the '(' opened at position 0",
    );
    expect(syntaxError('daily &').message).toContain('found the end of the input');
    expect(syntaxError('daily every 1 minute').position).toBe(0);
    expect(syntaxError("after task 'x").message).toContain('is never closed');
  });

  it('bounds nesting depth with a syntax error instead of overflowing the stack', () => {
    const nested = (n: number) => `${'('.repeat(n)}daily${')'.repeat(n)}`;
    expect(parse(nested(100)).toString()).toBe('daily');
    expect(syntaxError(nested(2500)).message).toContain('nested more than 100 levels deep');
    expect(syntaxError(`${'~'.repeat(5000)}daily`).message).toContain('nested more than 100 levels deep');
    expect(syntaxError(`${'~('.repeat(60)}daily${')'.repeat(60)}`).position).toBe(100);
  });

  it('refuses an input over 10,000 characters, quoting only its start', () => {
    const huge = `daily & ${'every 1 second & '.repeat(65_000)}daily`;
    const error = syntaxError(huge);
    expect(error.message).toContain(
      `the input is ${huge.length} characters long; a condition may have at most 10000`,
    );
    expect(error.message.length).toBeLessThan(1000);
    expect(parse(`daily${' & daily'.repeat(1000)}`)).toBeDefined();
  });

  it('offers no suggestion for a long unknown atom, and still names it', () => {
    const error = syntaxError('x'.repeat(9000));
    expect(error.message).toContain('is not a known condition');
    expect(error.message).not.toContain('Did you mean');
  });

  it('does not take hundreds of digits for an infinite interval', () => {
    expect(syntaxError(`every ${'9'.repeat(400)} days`).message).toContain('at most 1000000000000000 ms');
  });

  it("reads 'scheduler has 3 cycles' as exactly 3, as Rocketry does", () => {
    const c = parse('scheduler has 3 cycles');
    const value = (cycles: number) =>
      (c.evaluate(conditionContext({ now: '2026-05-04T12:00:00Z', cycles })) as Evaluation).value;
    expect([2, 3, 4].map(value)).toEqual([false, true, false]);
  });

  it("reads Rocketry's '1.' day notation as the 1st, and compound durations added up", () => {
    const value = (input: string, now: string) =>
      (parse(input).evaluate(conditionContext({ now, timezone: 'UTC' })) as Evaluation).value;
    expect(value('time of month after 15.', '2026-05-15T00:00:00Z')).toBe(true);
    expect(value('time of month after 15.', '2026-05-14T23:59:00Z')).toBe(false);
    expect(value('time of month between 1. and 15.', '2026-05-15T23:00:00Z')).toBe(true);
    const ran = new Date('2026-05-04T10:00:00Z').getTime();
    const every = parse('every 1 days 1 hours 30 minutes 30 seconds');
    const at = (iso: string) =>
      (
        every.evaluate(
          conditionContext({ now: iso, timezone: 'UTC', states: { self: { lastRun: ran } } }),
        ) as Evaluation
      ).next;
    expect(at('2026-05-04T10:00:01Z')).toBe(ran + 91_830_000);
  });

  it("refuses 'past 1 hour' alone with a syntax error saying it restricts a status", () => {
    expect(() => parse('past 1 hour')).toThrow(ConditionSyntaxError);
    expect(() => parse('past 1 hour')).toThrow(/span of time, not a condition.*has succeeded past 1 hour/s);
  });
});
