import type { RunAction } from '../conditions/runActions';
import type { TimePeriod } from '../conditions/time/TimePeriod';
import type { Calendar } from '../time/Calendar';

/**
 * A restricted window a status condition reads (`has succeeded today between 07:00 and 08:00`):
 * which actions count, the recurring window, and the calendar it is read in.
 */
export interface StatusWindow {
  readonly actions: readonly RunAction[];
  readonly period: TimePeriod;
  readonly calendar: Calendar;
}

interface Tracker {
  readonly key: string;
  readonly window: StatusWindow;
  /** The latest record of the window's actions that fell inside one of its occurrences. */
  last: number | undefined;
}

const keyOf = (w: StatusWindow): string =>
  [
    w.actions.join(','),
    w.period.unit,
    JSON.stringify(w.period.from ?? null),
    JSON.stringify(w.period.to ?? null),
    w.calendar.timezone ?? 'local',
  ].join('|');

/**
 * The latest record inside each restricted status window, per task.
 *
 * Why per window instead of a look into the log: conditions are checked synchronously on every
 * pass while a log answers asynchronously (and may be remote), and "the last success" alone
 * forgets a success at 07:20 once another follows at 09:00. Keeping, for each window a condition
 * asks about, the latest record that fell inside it costs one comparison per record per window
 * and answers each check in constant time, as the rest of the index does. A window is tracked
 * from the first time a condition asks about it, seeded with the last record of each action; at
 * start with a persistent log, `primeStatusWindows` reads the older records of each window's
 * latest occurrence back (a bounded look into the log, once, not per check).
 */
export class StatusWindows {
  private readonly trackers = new Map<string, Tracker[]>();

  /** The latest record inside `window` for `taskName`; `seed` gives each action's last record. */
  lastInside(
    taskName: string,
    window: StatusWindow,
    seed: (action: RunAction) => number | undefined,
  ): number | undefined {
    return this.tracker(taskName, window, seed).last;
  }

  /** Notes a record of `action` at `at` (from a write, or from a look into the log). */
  note(taskName: string, action: RunAction, at: number): void {
    for (const t of this.trackers.get(taskName) ?? []) {
      if (t.window.actions.includes(action)) this.consider(t, at);
    }
  }

  /** Forgets what the windows of `taskName` hold and seeds them again (after a restore). */
  reseed(taskName: string, seed: (action: RunAction) => number | undefined): void {
    for (const t of this.trackers.get(taskName) ?? []) {
      t.last = undefined;
      for (const action of t.window.actions) this.consider(t, seed(action));
    }
  }

  /** Every window tracked for `taskName`. */
  windowsOf(taskName: string): readonly StatusWindow[] {
    return (this.trackers.get(taskName) ?? []).map((t) => t.window);
  }

  private tracker(
    taskName: string,
    window: StatusWindow,
    seed: (action: RunAction) => number | undefined,
  ): Tracker {
    const key = keyOf(window);
    let list = this.trackers.get(taskName);
    if (list === undefined) {
      list = [];
      this.trackers.set(taskName, list);
    }
    let found = list.find((t) => t.key === key);
    if (found === undefined) {
      found = { key, window, last: undefined };
      for (const action of window.actions) this.consider(found, seed(action));
      list.push(found);
    }
    return found;
  }

  private consider(t: Tracker, at: number | undefined): void {
    if (at === undefined || (t.last !== undefined && t.last >= at)) return;
    if (t.window.period.occurrenceAt(at, t.window.calendar) !== undefined) t.last = at;
  }
}
