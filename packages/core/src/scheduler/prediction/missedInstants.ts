import { Cron } from 'croner';
import { CronCondition } from '../../conditions/time/cron';
import { walkCondition } from '../../conditions/walkCondition';
import type { Catchup } from '../../metadata/TaskOptions';
import type { TaskDefinition } from '../task/TaskDefinition';

/** What a catch-up looks at: the task's settled definition, its last run, now. */
export interface MissedInput {
  readonly definition: TaskDefinition;
  /** The task's last run in the (persistent) log; `undefined` for none, which misses nothing. */
  readonly lastRun: number | undefined;
  readonly now: number;
  /** The app's time zone (`config.timezone`). */
  readonly timezone: string | undefined;
  /** Queue the slot open now even with nothing missed (a failover gap: scheduling starts later). */
  readonly withOpen?: boolean;
  /**
   * The policy to apply instead of the task's `catchup` (a failover gap takes every instant).
   * Passed apart because a definition is not a plain object: its settings are getters that a
   * spread (`{ ...definition, catchup }`) would drop.
   */
  readonly catchup?: Catchup;
}

/**
 * The instants of the `cron(...)` conditions in a task's start condition that passed while no
 * process ran it, oldest first, as its `catchup` policy wants them: every one (`'all'`, at most
 * `maxBatches`, the newest), the latest (`'latest'`) or none. Missed means after the task's last
 * recorded run, within `catchupWindow` before now, and with its slot (minute, or second for six
 * fields) over: a slot still open is the regular run's, and comes last when there are missed
 * instants (see below).
 */
export function missedInstants(input: MissedInput): number[] {
  const { definition: def, lastRun, now } = input;
  const timezone = def.timezone ?? input.timezone;
  const catchup = input.catchup ?? def.catchup;
  if (catchup === 'none' || lastRun === undefined) return [];
  const wanted = catchup === 'latest' ? 1 : def.maxBatches;
  const since = Math.max(lastRun + 1, now - def.catchupWindow);
  const found = new Set<number>();
  const open = new Set<number>();
  walkCondition(def.start, (c) => {
    if (!(c instanceof CronCondition)) return;
    const resolution = c.expression.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
    const cron = new Cron(c.expression, { paused: true, ...(timezone === undefined ? {} : { timezone }) });
    const slot = Math.floor(now / resolution) * resolution;
    // croner lists the instants strictly before a date it first rounds down to the second: from
    // the open slot's start that is exactly every instant whose slot is over.
    for (const at of cron.previousRuns(wanted, new Date(slot))) {
      const t = at.getTime();
      if (t >= since) found.add(t);
    }
    if (slot > lastRun && cron.match(new Date(slot))) open.add(slot);
  });
  const missed = [...found].sort((a, b) => a - b).slice(-wanted);
  // A run in the slot open now counts as its run (cron: "not started in this slot"), so the
  // catch-up runs would take it from the regular run: it is queued after them, as its own run.
  return missed.length === 0 && !input.withOpen ? [] : [...missed, ...[...open].sort((a, b) => a - b)];
}
