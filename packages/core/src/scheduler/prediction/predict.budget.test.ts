import { App, Condition, every, hourly, not } from '../../index';
import type { ConditionContext } from '../../conditions/ConditionContext';
import type { MaybeEvaluation } from '../../conditions/Condition';
import { MAX_UPCOMING_STEPS, NEXT_RUN_STEPS } from './predict';

const T0 = new Date('2026-05-04T08:00:00Z');
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Counts the checks made of the condition it wraps: the work a prediction does. */
class Counted extends Condition {
  checks = 0;
  constructor(private readonly inner: Condition) {
    super();
  }
  override get children(): readonly Condition[] {
    return [this.inner];
  }
  evaluate(ctx: ConditionContext): MaybeEvaluation {
    this.checks++;
    return this.inner.evaluate(ctx);
  }
  toString(): string {
    return this.inner.toString();
  }
}

describe('what runs next costs a bounded number of condition checks', () => {
  it('gives up on a condition that is never true within the budget of one nextRun() call', () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const never = new Counted(not(hourly)); // false at every hour's start, forever
    const task = app.task({ name: 'never', start: never }, () => undefined);
    expect(task.nextRun()).toBeUndefined();
    expect(never.checks).toBe(NEXT_RUN_STEPS);
  });

  it('shares one budget across the tasks of an upcoming(n) call, and spends it on the soonest runs', () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const stuck = [1, 2, 3, 4].map((i) => {
      const start = new Counted(not(hourly));
      app.task({ name: `never${String(i)}`, start }, () => undefined);
      return start;
    });
    const ticker = new Counted(every('1 minute'));
    app.task({ name: 'ticker', start: ticker }, () => undefined);
    const next = app.session.upcoming(1000);
    const spent = ticker.checks + stuck.reduce((sum, c) => sum + c.checks, 0);
    expect(spent).toBeLessThanOrEqual(MAX_UPCOMING_STEPS);
    // Two checks per predicted run of the ticker (true, then when it can be true again); the
    // never-true tasks are checked once per simulated hour only.
    expect(next.length).toBeGreaterThan(1000 * 0.9);
    expect(next.slice(0, 3).map((u) => [u.taskName, u.at.toISOString()])).toEqual([
      ['ticker', '2026-05-04T08:00:00.000Z'],
      ['ticker', '2026-05-04T08:01:00.000Z'],
      ['ticker', '2026-05-04T08:02:00.000Z'],
    ]);
    expect(stuck.every((c) => c.checks <= 20)).toBe(true);
  });
});
