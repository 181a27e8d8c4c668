import { Cron } from 'croner';
import type { CronSchedule } from '../../conditions/ConditionContext';
import type { Calendar } from '../../time/Calendar';
import { DstGaps } from './DstGaps';

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu']);

/** True when `timezone` is UTC under some name: no offsets to look up, ever. */
function isUtc(timezone: string): boolean {
  // A name in the list needs no Intl.DateTimeFormat (the first one built loads the zone data).
  return (
    UTC_NAMES.has(timezone) ||
    UTC_NAMES.has(new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone)
  );
}

/** croner's options for a zone. Its `timezone` goes through Intl on every call (about 80 µs for a
 * match, 300 µs for a next run here); UTC needs none of that, and `utcOffset: 0` is 25-40× cheaper. */
function zoneOptions(timezone: string | undefined): { timezone?: string; utcOffset?: number } {
  if (timezone === undefined) return {};
  return isUtc(timezone) ? { utcOffset: 0 } : { timezone };
}

/** A croner pattern wrapped for `cron(...)` conditions; one per distinct expression and zone per app. */
export class CronerSchedule implements CronSchedule {
  private readonly cron: Cron;
  readonly resolution: number;
  /** Instants the zone skips when clocks spring forward, and whether the pattern matches them. */
  private readonly gaps: DstGaps | undefined;

  constructor(expression: string, calendar: Calendar) {
    const { timezone } = calendar;
    this.cron = new Cron(expression, { paused: true, ...zoneOptions(timezone) });
    this.resolution = expression.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
    this.gaps = timezone !== undefined && isUtc(timezone) ? undefined : new DstGaps(expression, calendar);
  }

  // Every task with this expression asks about the same slot in the same pass: remember the
  // last answer of each kind, so croner is asked once per slot, not once per task.
  private matchedSlot = NaN;
  private matched = false;
  private nextFrom = NaN;
  private nextAt = Infinity;

  matches(instant: number): boolean {
    if (instant !== this.matchedSlot) {
      this.matched = this.gaps?.repeats(instant)
        ? false
        : this.cron.match(new Date(instant)) || (this.gaps?.matchesAt(instant) ?? false);
      this.matchedSlot = instant;
    }
    return this.matched;
  }

  nextAfter(instant: number): number {
    // The next match is the same for every instant between the last question and its answer.
    if (!(instant >= this.nextFrom && instant < this.nextAt)) {
      const regular = this.cron.nextRun(new Date(instant))?.getTime() ?? Infinity;
      this.nextAt = Math.min(regular, this.gaps?.firstMatchBetween(instant, regular) ?? Infinity);
      this.nextFrom = instant;
    }
    return this.nextAt;
  }
}
