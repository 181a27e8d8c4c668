import { conditionContext, type StateInput } from '@apogee/test-utils';
import { all, any, not, type Condition, type Evaluation } from './Condition';
import { always, never } from './constants';
import { cond } from './custom/CustomCondition';
import { schedulerCycles } from './session/schedulerCycles';
import { schedulerRunning } from './session/schedulerRunning';
import { afterAllSuccess, afterAnyFail, afterFinish, afterSuccess } from './task/afterSuccess';
import { retry } from './task/retry';
import { running } from './task/running';
import { failed, finished, started, succeeded } from './task/StatusCondition';
import { every } from './time/every';
import { timeOfDay } from './time/WindowCondition';

const t = (iso: string): number => new Date(iso).getTime();
const NOW = '2026-05-04T12:00:00Z';

function evaluate(
  condition: Condition,
  states: Record<string, StateInput> = {},
  extra: { startedAt?: number; cycles?: number } = {},
): Evaluation {
  return condition.evaluate(conditionContext({ now: NOW, timezone: 'UTC', states, ...extra })) as Evaluation;
}

describe('logic', () => {
  const window = timeOfDay.between('13:00', '14:00'); // false now, true from 13:00
  const ranRecently = { self: { lastRun: t('2026-05-04T11:59:50Z') } };
  const tenSeconds = every('10 seconds'); // ran 10 s ago: true now

  it('all: false at the first false child, whose next change bounds when it can turn true', () => {
    expect(evaluate(all(window, tenSeconds), ranRecently)).toEqual({
      value: false,
      next: t('2026-05-04T13:00:00Z'),
    });
    expect(evaluate(all(always, every('1 minute')), ranRecently)).toEqual({
      value: false,
      next: t('2026-05-04T12:00:50Z'),
    });
    expect(evaluate(all(always, always))).toEqual({ value: true, next: Infinity });
  });

  it('any: true at the first true child; false sleeps until the soonest child can change', () => {
    expect(evaluate(any(window, every('1 minute')), ranRecently)).toEqual({
      value: false,
      next: t('2026-05-04T12:00:50Z'),
    });
    expect(evaluate(any(never, always))).toEqual({ value: true, next: Infinity });
  });

  it('not flips the value and keeps the next change; not(not(a)) is a', () => {
    expect(evaluate(not(window))).toEqual({ value: true, next: t('2026-05-04T13:00:00Z') });
    expect(not(not(window))).toBe(window);
  });

  it('flattens nested all/any, and composes with .and/.or/.not without changing the operands', () => {
    const a = every('1 minute');
    const b = timeOfDay.after('08:00');
    const combined = a.and(b).and(always);
    expect(combined.children).toHaveLength(3);
    expect(a.toString()).toBe('every 1 minute');
    expect(combined.toString()).toBe('every 1 minute & time of day after 08:00 & true');
    expect(a.or(b).not().toString()).toBe('~(every 1 minute | time of day after 08:00)');
  });

  it('awaits custom conditions inside compositions, short-circuiting in order', async () => {
    const seen: string[] = [];
    const ctx = conditionContext({
      now: NOW,
      custom: (name) => {
        seen.push(name);
        return name === 'yes';
      },
    });
    await expect(all(cond('yes'), cond('no'), cond('never reached')).evaluate(ctx)).resolves.toEqual({
      value: false,
      next: t(NOW) + 1000,
    });
    await expect(any(cond('no'), cond('yes'), cond('never reached')).evaluate(ctx)).resolves.toMatchObject({
      value: true,
    });
    expect(seen).toEqual(['yes', 'no', 'no', 'yes']);
  });
});

describe('task-state conditions', () => {
  it('afterSuccess: true when the other task succeeded after this one last started', () => {
    expect(evaluate(afterSuccess('fetch')).value).toBe(false);
    expect(evaluate(afterSuccess('fetch'), { fetch: { sequence: { success: 3 } } }).value).toBe(true);
    expect(
      evaluate(afterSuccess('fetch'), { fetch: { sequence: { success: 3 } }, self: { sequence: { run: 4 } } })
        .value,
    ).toBe(false);
    expect(
      evaluate(afterSuccess('fetch'), { fetch: { sequence: { success: 5 } }, self: { sequence: { run: 4 } } })
        .value,
    ).toBe(true);
    expect(afterSuccess('fetch').dependsOn).toContain('fetch');
  });

  it('afterFinish counts a failure; afterAll/afterAny combine', () => {
    const states = { a: { sequence: { fail: 2 } }, b: { sequence: { success: 3 } } };
    expect(evaluate(afterFinish('a'), states).value).toBe(true);
    expect(evaluate(afterAllSuccess('a', 'b'), states).value).toBe(false);
    expect(evaluate(afterAnyFail('a', 'b'), states).value).toBe(true);
    expect(afterAllSuccess('a', 'b').toString()).toBe("after task 'a' succeeded & after task 'b' succeeded");
  });

  it('started/succeeded/failed/finished: ever, or within the current period until it ends', () => {
    const states = { x: { lastRun: t('2026-05-04T08:00:00Z'), lastSuccess: t('2026-05-03T08:00:00Z') } };
    expect(evaluate(started('x'), states).value).toBe(true);
    expect(evaluate(started('x').today, states)).toEqual({ value: true, next: t('2026-05-05T00:00:00Z') });
    expect(evaluate(started('x').thisHour, states).value).toBe(false);
    expect(evaluate(succeeded('x').today, states).value).toBe(false);
    expect(evaluate(succeeded('x').thisWeek, states).value).toBe(false);
    expect(evaluate(succeeded('x').thisMonth, states).value).toBe(true);
    expect(evaluate(failed('x'), states).value).toBe(false);
    expect(evaluate(finished('x').thisMonth, states).value).toBe(true);
    expect(finished('x').today.toString()).toBe("task 'x' has finished today");
  });

  it('running: true while the task has a live run', () => {
    expect(evaluate(running('x'), { x: { running: 1 } }).value).toBe(true);
    expect(evaluate(running(), { self: { running: 0 } }).value).toBe(false);
  });

  it('retry(n): after a failure, at most n times in a row', () => {
    expect(evaluate(retry(2), { self: { status: 'fail', consecutiveFails: 1 } }).value).toBe(true);
    expect(evaluate(retry(2), { self: { status: 'fail', consecutiveFails: 2 } }).value).toBe(true);
    expect(evaluate(retry(2), { self: { status: 'fail', consecutiveFails: 3 } }).value).toBe(false);
    expect(evaluate(retry(2), { self: { status: 'success' } }).value).toBe(false);
    expect(() => retry(-1)).toThrow(/retry: -1 must be a whole number/);
  });
});

describe('scheduler conditions', () => {
  it('schedulerRunning: within bounds of uptime, waking at the bounds', () => {
    const startedAt = t('2026-05-04T11:59:00Z');
    expect(evaluate(schedulerRunning({ moreThan: '2 minutes' }), {}, { startedAt })).toEqual({
      value: false,
      next: t('2026-05-04T12:01:00Z'),
    });
    expect(evaluate(schedulerRunning({ lessThan: '2 minutes' }), {}, { startedAt })).toEqual({
      value: true,
      next: t('2026-05-04T12:01:00Z'),
    });
  });

  it('schedulerCycles: compares completed passes', () => {
    expect(evaluate(schedulerCycles({ moreThan: 2 }), {}, { cycles: 2 }).value).toBe(false);
    expect(evaluate(schedulerCycles({ moreThan: 2 }), {}, { cycles: 3 }).value).toBe(true);
    expect(evaluate(schedulerCycles({ lessThan: 2 }), {}, { cycles: 3 }).value).toBe(false);
  });
});
