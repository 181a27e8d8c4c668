import { constants, performance, PerformanceObserver } from 'node:perf_hooks';

/** GC pauses seen since {@link quiesce} returned, until `stop()`. */
export interface GcWatch {
  /** Milliseconds of GC pauses since the window opened. */
  readonly gcMs: () => number;
  /** Opens the window: pauses before it are not counted. */
  readonly open: () => void;
  readonly stop: () => void;
}

/**
 * Waits until start-up's garbage is collected, and returns a watch over the GC pauses after.
 * Some seconds after a full GC, V8's memory reducer runs a few "Mark-Compact (reduce)"
 * collections to shrink the heap (8 to 21 s later on this VM; not at all for a small heap). That
 * is an after-effect of start-up and of the forced GC, not idle work: this waits for it (a major
 * GC it did not force, then 2 s of quiet), up to `capMs`.
 */
export async function quiesce(
  gc: () => void,
  sleep: (ms: number) => Promise<unknown>,
  capMs: number,
): Promise<GcWatch> {
  let majors = 0;
  let lastMajor = 0;
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majors++;
        lastMajor = performance.now();
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  gc();
  await sleep(100);
  const forced = majors;
  const cap = performance.now() + capMs;
  while (performance.now() < cap && !(majors > forced && performance.now() - lastMajor > 2000))
    await sleep(250);
  return {
    gcMs: () => gcMs,
    open: () => {
      gcMs = 0;
    },
    stop: () => {
      observer.disconnect();
    },
  };
}

/**
 * Once start-up's garbage is collected ({@link quiesce}, up to 30 s), the CPU the process uses in
 * the next `seconds` and the GC pauses in them: what an idle process costs.
 */
export async function idleWindow(
  gc: () => void,
  sleep: (ms: number) => Promise<unknown>,
  seconds: number,
): Promise<{ idleCpuMs: number; idleGcMs: number }> {
  const watch = await quiesce(gc, sleep, 30_000);
  watch.open();
  const cpu0 = process.cpuUsage();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  await sleep(0);
  watch.stop();
  return { idleCpuMs: (cpu.user + cpu.system) / 1000, idleGcMs: watch.gcMs() };
}

/** The heap in use after two full collections, MB. */
export function heapMb(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
