import { App, MemoryRunLog, every, type SchedulerEvent } from '../index';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

describe('app.shutdown() in the same tick as app.run()', () => {
  it('cancels the start: run() returns, no task runs and the scheduler never starts', async () => {
    const app = new App();
    const types: string[] = [];
    app.events.subscribe((e: SchedulerEvent) => types.push(e.type));
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => {
      runs++;
    });
    const running = app.run({ handleSignals: false });
    await app.shutdown();
    await jest.advanceTimersByTimeAsync(5000);
    await running;
    expect(runs).toBe(0);
    expect(types).toEqual([]);
  });

  it('waits for a log that restores slowly, and the app can run again afterwards', async () => {
    // A log whose restore() takes a while, as a large SQLite file does.
    const log = Object.assign(new MemoryRunLog(), {
      restore: async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return [];
      },
    });
    const app = new App({ log });
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => {
      runs++;
    });
    const running = app.run({ handleSignals: false });
    let stopped = false;
    const stopping = app.shutdown().then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(499);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(5000);
    await Promise.all([running, stopping]);
    expect(runs).toBe(0);

    const again = app.run({ handleSignals: false });
    await jest.advanceTimersByTimeAsync(1500);
    expect(runs).toBe(2);
    const shut = app.shutdown();
    await jest.advanceTimersByTimeAsync(0);
    await Promise.all([again, shut]);
  });
});
