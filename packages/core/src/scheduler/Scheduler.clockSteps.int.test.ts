import { start } from '@apogee/test-utils';
import { App, TaskTimeoutError, every, never } from '../index';

// jest's modern fake timers move Date.now() and performance.now() together as time passes, and
// setSystemTime() steps the wall clock alone: a clock step as NTP or a user makes one.
const T0 = new Date('2026-05-04T08:00:00Z').getTime();
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('wall-clock steps', () => {
  it('keeps every() in rhythm after the wall clock steps back 30 seconds', async () => {
    const app = new App();
    const ticks: number[] = [];
    app.task({ name: 'tick', start: every('1 second') }, () => {
      ticks.push(Date.now());
    });
    const running = await start(app);
    await running.advance(2500);
    expect(ticks).toHaveLength(3);
    jest.setSystemTime(Date.now() - 30_000);
    await running.advance(3000);
    // One second after the step at the latest, then every second.
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    const [first, second] = ticks.slice(3);
    expect((first as number) - (T0 + 2500 - 30_000)).toBeLessThanOrEqual(1000);
    expect((second as number) - (first as number)).toBe(1000);
    await running.stop();
  });

  it('measures a timeout on the monotonic clock: a step forward of an hour does not end a 20-second run', async () => {
    const app = new App();
    const slow = app.task(
      { name: 'slow', start: never, timeout: '20 seconds' },
      () => new Promise(() => undefined),
    );
    app.task({ name: 'tick', start: every('1 second') }, () => undefined);
    const running = await start(app);
    slow.run();
    await running.advance(5000);
    jest.setSystemTime(Date.now() + 3_600_000);
    await running.advance(5000);
    expect(running.types()).not.toContain('taskTerminated:slow');
    await running.advance(10_000);
    const terminated = running.events.filter((e) => e.type === 'taskTerminated');
    expect(terminated).toHaveLength(1);
    expect(terminated[0]).toMatchObject({ taskName: 'slow' });
    expect((terminated[0] as { reason: unknown }).reason).toBeInstanceOf(TaskTimeoutError);
    await running.stop();
  });
});

describe("a 'main' run that never settles", () => {
  it('is timed out on time, and the other tasks run again once it is', async () => {
    const app = new App();
    app.task(
      { name: 'stuck', start: never, execution: 'main', timeout: '2 seconds' },
      () => new Promise(() => undefined),
    );
    const ticks: number[] = [];
    app.task({ name: 'tick', start: every('1 second') }, () => {
      ticks.push(Date.now() - T0);
    });
    const running = await start(app);
    await running.advance(500);
    app.session.get('stuck').run();
    await running.advance(2000);
    expect(running.types()).toContain('taskTerminated:stuck');
    const terminated = running.events.find((e) => e.type === 'taskTerminated');
    expect(terminated?.at.getTime()).toBe(T0 + 2500);
    const before = ticks.length;
    await running.advance(3000);
    expect(ticks.length - before).toBeGreaterThanOrEqual(3);
    await running.stop();
  });
});
