/**
 * Where the scheduler reads the time. The default reads `Date.now()`, which jest's modern fake
 * timers control, so schedules can be tested without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * True when the time moves on by itself, so that with `config.preciseTiming` the scheduler may
   * busy-wait the last fraction of a millisecond before a due instant. False (or absent) for
   * injected and fake clocks, where a busy-wait would never end.
   */
  readonly isReal?: boolean;
}

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/** The process clock: `Date.now()`, real unless fake timers have replaced it. */
export const systemClock: Clock = {
  now: () => Date.now(),
  get isReal(): boolean {
    return NATIVE.test(Function.prototype.toString.call(Date.now));
  },
};
