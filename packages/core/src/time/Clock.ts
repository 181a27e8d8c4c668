/**
 * Where the scheduler reads the time. The default reads `Date.now()`, which jest's modern fake
 * timers control, so schedules can be tested without real sleeps.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The process clock. */
export const systemClock: Clock = { now: () => Date.now() };
