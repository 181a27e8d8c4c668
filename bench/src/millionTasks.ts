/**
 * Section 13's measurement, in a process of its own (scenario `million`): registers N tasks
 * (1,000,000 by default) with one `daily.at(...)` start that is not due, runs the app, and reports
 * how long registration and start-up took, the heap they hold, and the CPU the idle scheduler
 * uses afterwards.
 */
import { performance } from 'node:perf_hooks';
import { heapMb, idleWindow } from './quiesce';

interface Tools {
  readonly n: number;
  readonly seconds: number;
  /** An hour that is not now: nothing is due in the window. */
  readonly farHour: number;
  readonly gc: () => void;
  readonly sleep: (ms: number) => Promise<unknown>;
}

/** Registration time, start-up time, heap and idle CPU of an app with `n` tasks. */
export async function millionTasks({ n, seconds, farHour, gc, sleep }: Tools): Promise<object> {
  const { App, daily } = await import('@apogee/core');
  const before = heapMb(gc);
  const app = new App({ config: { timezone: 'UTC' } });
  const far = daily.at(`${String(farHour).padStart(2, '0')}:00`);
  const noop = (): void => undefined;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) app.task({ name: `t${i}`, start: far }, noop);
  const registered = performance.now();
  // A run queued before the start: it runs in the first pass, after the scheduler has looked at every task.
  let firstRun = NaN;
  app.task({ name: 'first' }, () => {
    firstRun = performance.now();
  });
  app.session.get('first').run();
  const started = performance.now();
  const done = app.run({ handleSignals: false });
  while (Number.isNaN(firstRun)) await sleep(5);
  const heap = heapMb(gc) - before;
  const idle = await idleWindow(gc, sleep, seconds);
  await app.shutdown();
  await done;
  return {
    registerSeconds: (registered - t0) / 1000,
    startSeconds: (firstRun - started) / 1000,
    heapMb: heap,
    bytesPerTask: (heap * 2 ** 20) / n,
    ...idle,
  };
}
