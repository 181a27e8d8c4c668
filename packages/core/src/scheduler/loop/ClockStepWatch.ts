import type { Clock } from '../../time/Clock';

/**
 * How far (ms) the wall clock may fall behind the monotonic one between two readings before it
 * counts as set back. Slewing (NTP's gradual correction) is far slower than that.
 */
export const CLOCK_STEP = 1000;

/**
 * Tells when the wall clock was set back, by comparing it with the monotonic clock at each
 * reading. After such a step every wall-clock wake in the scheduler's queue is too far off, so
 * every task is due for a look. (A step forward needs nothing: what it skipped over is simply due.)
 */
export class ClockStepWatch {
  /** Wall minus monotonic clock at the last reading. */
  private offset: number | undefined;

  constructor(private readonly clock: Clock) {}

  /** Whether the wall clock was set back since the last call; `now` is a wall-clock reading just taken. */
  steppedBack(now = this.clock.now()): boolean {
    const { clock } = this;
    // Without a monotonic reading there is nothing to tell a step from the passing of time.
    if (clock.monotonic === undefined) return false;
    const offset = now - clock.monotonic();
    const stepped = this.offset !== undefined && offset < this.offset - CLOCK_STEP;
    this.offset = offset;
    return stepped;
  }
}
