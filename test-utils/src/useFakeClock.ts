/**
 * Runs every test of the enclosing `describe` (or file, at top level) under jest's modern fake
 * timers with the wall clock set to `now`, and restores real timers after each test. Time moves
 * only when a test advances it (`jest.advanceTimersByTimeAsync`, or `advance` of `start`).
 */
export function useFakeClock(now: Date | number = 0): void {
  beforeEach(() => {
    jest.useFakeTimers({ now });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
}
