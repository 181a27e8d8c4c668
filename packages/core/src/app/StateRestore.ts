import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { Calendar } from '../time/Calendar';
import type { Clock } from '../time/Clock';
import { primeStatusWindows } from './primeStatusWindows';
import { restorePolicies } from './restorePolicies';
import type { SessionState } from './SessionState';

/** What a restore reads and writes. */
export interface StateRestoreParts {
  readonly logs: RunLog;
  readonly state: TaskStateIndex;
  readonly session: SessionState;
  /** Which queue runs still execute on some instance (the executor's view). */
  readonly live: { liveElsewhere(): Promise<ReadonlySet<string>> };
  readonly calendar: Calendar;
  readonly clock: Clock;
  /** `config.timezone`, for the missed cron instants. */
  readonly timezone: string | undefined;
  /** What follows the shared log while this process does not lead: told when a restore reads it. */
  readonly follower?: { hold(): void; release(): void };
}

/**
 * Reads every task's state back from the run log: at `app.run()`, and each time this process
 * gains the leadership (a new leader must not run again what the old one ran today).
 */
export class StateRestore {
  constructor(private readonly parts: StateRestoreParts) {}

  async restore(): Promise<void> {
    const { logs, state, session, clock, follower } = this.parts;
    // A record stored while the log is read would be overwritten by the older snapshot read here:
    // the follower keeps those and folds them in again once the snapshot is in.
    follower?.hold();
    try {
      // Queue runs still executing on some instance are adopted, not crashed.
      const alive = logs.restore === undefined ? undefined : await this.parts.live.liveElsewhere();
      for (const task of (await logs.restore?.(alive === undefined ? undefined : { alive })) ?? []) {
        state.restore(task);
        if (task.returnValue !== undefined) session.setReturn(task.taskName, task.returnValue.value);
      }
    } finally {
      follower?.release();
    }
    await primeStatusWindows(logs, session.tasks, state, this.parts.calendar, clock.now());
    // Pauses and missed cron instants, at start and at every takeover: a new leader runs what
    // was missed while no process led.
    await restorePolicies(logs, session.tasks, state, clock.now(), this.parts.timezone);
  }
}
