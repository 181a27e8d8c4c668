import { Cron } from 'croner';
import type { Calendar } from '../../time/Calendar';

const DAY = 86_400_000;
/** How far ahead a next-run question looks for a skipped match (a yearly pattern's distance). */
const HORIZON = 400 * DAY;

/**
 * A cron pattern's matches on wall times a zone skips when clocks spring forward.
 *
 * croner leaves them out (`30 3 * * *` does not fire on the day Helsinki goes from 03:00 to
 * 04:00). Every other time condition follows the README's rule: a wall time that does not exist
 * resolves to the moment the clocks jump. This applies the same rule to cron: a pattern that
 * matches some wall time inside the skipped range fires once, at the jump.
 */
export class DstGaps {
  /** The pattern read against wall time written as UTC, where no time is ever skipped. */
  private readonly wall: Cron;

  constructor(
    expression: string,
    private readonly calendar: Calendar,
  ) {
    this.wall = new Cron(expression, { paused: true, utcOffset: 0 });
  }

  /** Whether clocks spring forward at exactly `instant` and the pattern matches a skipped wall time. */
  matchesAt(instant: number): boolean {
    const before = this.offset(instant - 1);
    const after = this.offset(instant);
    return after > before && this.matchesSkipped(instant, after - before);
  }

  /**
   * Whether the wall time at `instant` already happened earlier (the second 03:30 on the day
   * clocks fall back): croner matches it, but a wall time that happens twice means its first.
   */
  repeats(instant: number): boolean {
    const now = this.offset(instant);
    // Clocks go back by at most a few hours; look that far back for the earlier offset.
    const earlier = this.offset(instant - 3 * 3_600_000);
    return earlier > now && this.offset(instant - (earlier - now)) === earlier;
  }

  /** The first jump in `(from, to)` whose skipped wall times the pattern matches, else `Infinity`. */
  firstMatchBetween(from: number, to: number): number {
    const end = Math.min(to, from + HORIZON);
    // Offsets change a few times a year: a day's step finds each change, a bisection its instant.
    for (let a = from; a < end; a += DAY) {
      const b = Math.min(a + DAY, end);
      const offA = this.offset(a);
      const offB = this.offset(b);
      if (offB <= offA) continue;
      const jump = this.transition(a, b, offA);
      if (jump > from && jump < to && this.matchesSkipped(jump, offB - offA)) return jump;
    }
    return Infinity;
  }

  /** Whether the pattern matches a wall time in the `gap` ms skipped just before `jump`. */
  private matchesSkipped(jump: number, gap: number): boolean {
    const wallEnd = jump + this.offset(jump);
    const next = this.wall.nextRun(new Date(wallEnd - gap - 1))?.getTime();
    return next !== undefined && next < wallEnd;
  }

  /** The first instant in `(a, b]` whose offset differs from `offA`. */
  private transition(a: number, b: number, offA: number): number {
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.offset(mid) === offA) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** The zone's offset from UTC at `instant`, in ms. */
  private offset(instant: number): number {
    const w = this.calendar.wall(instant);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - instant;
  }
}
