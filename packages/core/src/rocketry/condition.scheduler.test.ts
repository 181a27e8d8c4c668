/**
 * Ported from Rocketry's rocketry/test/condition/test_scheduler.py (Miksus/rocketry).
 * `SchedulerCycles() == 3` is `schedulerCycles({ exactly: 3 })`, `> 2` is `{ moreThan: 2 }`,
 * `< 4` is `{ lessThan: 4 }`; `SchedulerStarted(period=TimeDelta("30 seconds"))` (started within
 * the last 30 s) is `schedulerRunning({ lessThan: '30 seconds' })`.
 *
 * Differences on purpose:
 * - Rocketry observes the conditions on the session after `session.start()` returned; Apogee's
 *   scheduler state lives inside `app.run()`, so the app is run until `shutdownWhen` stops it
 *   after 3 passes, and the conditions are checked with 3 passes done.
 * - `!= 4`, `>= 3` and `<= 3` have no options: write `not(schedulerCycles({ exactly: 4 }))`,
 *   `{ moreThan: 2 }`, `{ lessThan: 4 }`. `from_magic(invalid=3)` is a type error in Apogee.
 */
import { conditionContext } from '@apogee/test-utils';
import type { Condition, Evaluation } from '../conditions/Condition';
import { App, always, not, schedulerCycles, schedulerRunning } from '../index';

const observe = (condition: Condition, input: Parameters<typeof conditionContext>[0]): boolean =>
  (condition.evaluate(conditionContext(input)) as Evaluation).value;

afterEach(() => {
  jest.useRealTimers();
});

describe('test_scheduler_cycles', () => {
  it('stops the app after exactly 3 passes', async () => {
    jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
    const app = new App({ config: { shutdownWhen: schedulerCycles({ exactly: 3 }) } });
    let runs = 0;
    // Each run ending wakes the scheduler for a pass.
    app.task({ name: 'tick', start: always }, () => {
      runs++;
    });
    const done = app.run({ handleSignals: false });
    let finished = false;
    void done.then(() => (finished = true));
    for (let waited = 0; !finished && waited < 60_000; waited += 100)
      await jest.advanceTimersByTimeAsync(100);
    await done;
    expect(finished).toBe(true);
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThanOrEqual(3);
  });

  it.each<[string, Condition, boolean]>([
    ['== 3', schedulerCycles({ exactly: 3 }), true],
    ['> 2', schedulerCycles({ moreThan: 2 }), true],
    ['< 4', schedulerCycles({ lessThan: 4 }), true],
    ['!= 4', not(schedulerCycles({ exactly: 4 })), true],
    ['not < 3', schedulerCycles({ lessThan: 3 }), false],
    ['not > 3', schedulerCycles({ moreThan: 3 }), false],
    ['not == 4', schedulerCycles({ exactly: 4 }), false],
  ])('with 3 passes done: %s', (_id, condition, outcome) => {
    expect(observe(condition, { now: '2026-05-04T08:00:00Z', timezone: 'UTC', cycles: 3 })).toBe(outcome);
  });
});

describe('test_scheduler_started', () => {
  // The scheduler started 20 seconds ago.
  const input = {
    now: '2026-05-04T08:00:20Z',
    timezone: 'UTC',
    startedAt: Date.parse('2026-05-04T08:00:00Z'),
  } as const;
  it.each<[string, Condition, boolean]>([
    ['started', schedulerRunning(), true],
    ['started within 30 seconds', schedulerRunning({ lessThan: '30 seconds' }), true],
    ['not started within 10 seconds', schedulerRunning({ lessThan: '10 seconds' }), false],
  ])('%s', (_id, condition, outcome) => {
    expect(observe(condition, input)).toBe(outcome);
  });
});

describe('test_cycles_string', () => {
  it.each<[Condition, string]>([
    [schedulerCycles({ exactly: 3 }), 'scheduler has 3 cycles'],
    [schedulerCycles({ moreThan: 3 }), 'scheduler has more than 3 cycles'],
    [schedulerCycles({ lessThan: 3 }), 'scheduler has less than 3 cycles'],
  ])('%s', (condition, text) => {
    expect(condition.toString()).toBe(text);
  });
});

describe('test_started_string', () => {
  it('prints something', () => {
    expect(schedulerRunning({ lessThan: '30 seconds' }).toString()).not.toBe('');
  });
});
