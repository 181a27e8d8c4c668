import { start } from '@apogee/test-utils';
import { App, Condition, ConditionTimeoutError, Cond, cond, every, type SchedulerEvent } from '../index';
import type { Evaluation } from '../conditions/Condition';

const T0 = new Date('2026-05-04T08:00:00Z').getTime();
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const never = (): Promise<boolean> => new Promise(() => undefined);

/** A `Condition` subclass whose check never settles. */
class Hanging extends Condition {
  evaluate(): Promise<Evaluation> {
    return new Promise(() => undefined);
  }
  toString(): string {
    return 'hanging';
  }
}

class Checks {
  @Cond('decorated', { timeout: '1 second' })
  decorated(): Promise<boolean> {
    return never();
  }
}

function withTicker(app: App): number[] {
  const ticks: number[] = [];
  app.task({ name: 'tick', start: every('1 second'), priority: -1 }, () => {
    ticks.push(Date.now() - T0);
  });
  return ticks;
}

const failures = (events: readonly SchedulerEvent[]) =>
  events.flatMap((e) =>
    e.type === 'conditionFailed' ? [{ taskName: e.taskName, at: e.at.getTime() - T0, error: e.error }] : [],
  );

describe('condition checks have a time limit and hold up no other task', () => {
  it('a custom condition that never settles: other tasks keep their rhythm, and it fails after 10 seconds', async () => {
    const app = new App();
    app.cond({ name: 'stuck' }, never);
    app.task({ name: 'waits', start: cond('stuck'), priority: 10 }, () => undefined);
    const ticks = withTicker(app);
    const running = await start(app);
    await running.advance(10_500);
    expect(ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    const [failed] = failures(running.events);
    expect(failed).toMatchObject({ taskName: 'waits', at: 10_000 });
    expect(failed?.error).toBeInstanceOf(ConditionTimeoutError);
    expect((failed?.error as Error).message).toMatch(
      /Condition "stuck" of task "waits" did not settle within 10000 ms: it counts as false.*\nFix: .*config\.conditionTimeout/,
    );
    // Checked again a second later, and timed out again ten seconds after that.
    await running.advance(11_000);
    expect(failures(running.events).map((f) => f.at)).toEqual([10_000, 21_000]);
    await running.stop();
  });

  it('a custom condition that takes 300 ms delays its own task only', async () => {
    const app = new App();
    let slowRuns = 0;
    app.cond(
      { name: 'slow', poll: '1 second' },
      () =>
        new Promise<boolean>((r) =>
          setTimeout(() => {
            r(true);
          }, 300),
        ),
    );
    app.task({ name: 'gated', start: cond('slow').and(every('1 second')), priority: 10 }, () => {
      slowRuns++;
    });
    const ticks = withTicker(app);
    const running = await start(app);
    await running.advance(5000);
    expect(ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(slowRuns).toBeGreaterThanOrEqual(4);
    const started = running.events.find((e) => e.type === 'taskStarted' && e.taskName === 'gated');
    expect(started?.at.getTime()).toBe(T0 + 300);
    await running.stop();
  });

  it("takes the limit from the custom condition's own timeout, and from config.conditionTimeout", async () => {
    const app = new App({ config: { conditionTimeout: '3 seconds' } });
    app.cond({ name: 'quick', timeout: '2 seconds' }, never);
    app.task({ name: 'a', start: cond('quick') }, () => undefined);
    app.task({ name: 'b', start: new Hanging() }, () => undefined);
    app.register(Checks);
    app.task({ name: 'c', start: cond('decorated') }, () => undefined);
    const ticks = withTicker(app);
    const running = await start(app);
    await running.advance(3500);
    const first = new Map<string | undefined, [number, number]>();
    for (const f of failures(running.events))
      if (!first.has(f.taskName)) first.set(f.taskName, [f.at, (f.error as ConditionTimeoutError).limit]);
    expect(Object.fromEntries(first)).toEqual({ c: [1000, 1000], a: [2000, 2000], b: [3000, 3000] });
    expect(ticks).toEqual([0, 1000, 2000, 3000]);
    await running.stop();
  });

  it('a shutdownWhen that never settles holds up nothing either', async () => {
    const app = new App({ config: { shutdownWhen: cond('stuck'), conditionTimeout: '5 seconds' } });
    app.cond({ name: 'stuck' }, never);
    const ticks = withTicker(app);
    const running = await start(app);
    await running.advance(5500);
    expect(ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(failures(running.events)).toMatchObject([{ taskName: undefined, at: 5000 }]);
    await running.stop();
  });
});
