import { errorMessage } from '../errors/errorMessage';
import type { Warning } from '../logging/FoldedWarnings';
import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { EventSink } from '../scheduler/events/EventSink';
import { recordEvent } from './recordEvent';

/** What a {@link CrashSweep} reads and tells. */
export interface CrashSweepParts {
  readonly logs: RunLog;
  readonly leadership: Leadership;
  readonly state: TaskStateIndex;
  readonly events: EventSink;
  /** Which queue runs still execute on some instance: adopted, never swept. */
  readonly live: { liveElsewhere(): Promise<ReadonlySet<string>> };
  readonly warn: (warning: Warning) => void;
}

/**
 * While this process leads, records as `crash` the runs left open in a shared log by processes
 * that are gone, once per renewal interval of the lease: a restore does it at each takeover, but
 * a process that dies while another leads (a replica's start-up task, a leader that stepped down
 * with a run still going) would otherwise leave its run open until the next takeover.
 */
export class CrashSweep {
  private sweeping = false;

  constructor(private readonly parts: CrashSweepParts) {}

  /** Starts sweeping (nothing for a log that is not shared); returns what stops it. */
  start(): () => void {
    const interval = this.parts.leadership.renewInterval;
    if (this.parts.logs.sweepCrashed === undefined || interval === undefined) return () => undefined;
    const timer = setInterval(() => void this.sweep(), interval);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  }

  /** One sweep; the crash records it stored are folded in and emitted as the leader's own. */
  async sweep(): Promise<void> {
    const { logs, leadership, state, events, live } = this.parts;
    if (!leadership.isLeader || this.sweeping || logs.sweepCrashed === undefined) return;
    this.sweeping = true;
    try {
      const crashed = new Set(await logs.sweepCrashed(await live.liveElsewhere()));
      if (crashed.size === 0) return;
      const records = await logs.records({ action: 'crash', limit: crashed.size });
      for (const record of records.filter((r) => crashed.has(r.runId))) {
        state.applyForeign(record);
        if (events.listening) events.notify(recordEvent(record));
      }
    } catch (error) {
      this.parts.warn({
        code: 'APOGEE_CRASH_SWEEP',
        message: () =>
          `Apogee: sweeping the runs of stopped processes failed (${errorMessage(error)}); the next renewal tries again.`,
      });
    } finally {
      this.sweeping = false;
    }
  }
}
