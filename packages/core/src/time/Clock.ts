/**
 * Where the scheduler reads the time. The default reads `Date.now()`, which jest's modern fake
 * timers control, so schedules can be tested without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward, at a steady rate, whatever is done to the
   * wall clock (NTP steps, a user setting the time): what run timeouts are measured on, and how
   * a wall-clock step is told from the passing of time. Absent: `now()` stands in for it.
   */
  monotonic?(): number;
  /**
   * True when the time moves on by itself, so that with `config.preciseTiming` the scheduler may
   * busy-wait the last fraction of a millisecond before a due instant. False (or absent) for
   * injected and fake clocks, where a busy-wait would never end.
   */
  readonly isReal?: boolean;
}

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/** `clock.monotonic()`, or `clock.now()` for a clock without one. */
export function monotonicNow(clock: Clock): number {
  return clock.monotonic === undefined ? clock.now() : clock.monotonic();
}

/** The process clock: `Date.now()` and `performance.now()`, real unless fake timers have replaced it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // jest's modern fake timers move it with their timers, and leave it alone on setSystemTime().
  monotonic: () => performance.now(),
  get isReal(): boolean {
    return NATIVE.test(Function.prototype.toString.call(Date.now));
  },
};
