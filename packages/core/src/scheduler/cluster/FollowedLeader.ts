import type { RunRecord } from '../../log/RunRecord';

/** Samples of `received - created` kept: enough to find one delivered without delay. */
const SAMPLES = 32;

/**
 * Below this, a difference between the leader's clock and ours is taken for delivery delay, not
 * skew (the threshold of the `APOGEE_CLOCK_SKEW` warning).
 */
const SKEW_THRESHOLD = 1_000;

/** A task's last start followed, on the writer's clock. */
export interface FollowedStart {
  /** When its `run` record was stored. */
  readonly created: number;
  /** The latest instant a followed run of the task was due for (`scheduledAt`, else `created`). */
  readonly due: number;
}

/**
 * What a replica that does not lead learns of the leader from the records it follows: the last
 * start of each task it saw stored, and how far the leader's clock is from its own. A new leader
 * reads it at the takeover: the due instants after those starts fell due in the failover gap, and
 * times the old leader wrote with its clock are read on this process's clock.
 */
export class FollowedLeader {
  /** Per task, the last `run` record followed: when it was stored, and the latest due instant seen. */
  private readonly lastStarts = new Map<string, FollowedStart>();
  private readonly samples: number[] = [];

  /** Notes a record another process stored, `received` on this process's clock. */
  note(record: RunRecord, received: number): void {
    const created = record.created.getTime();
    this.samples.push(received - created);
    if (this.samples.length > SAMPLES) this.samples.shift();
    if (record.action !== 'run') return;
    // A run started late is due at its `scheduledAt`; the latest one seen, as `cron` compares.
    const due = record.scheduledAt?.getTime() ?? created;
    const before = this.lastStarts.get(record.taskName)?.due ?? -Infinity;
    this.lastStarts.set(record.taskName, { created, due: Math.max(before, due) });
  }

  /** Forgets what was seen (this process leads now). */
  clear(): void {
    this.lastStarts.clear();
    this.samples.length = 0;
  }

  /**
   * The last start of `taskName` this process saw another process store (on the writer's clock),
   * or `undefined` when it saw none: then this process did not witness the gap, and the task's
   * `catchup` decides alone.
   */
  lastStart(taskName: string): FollowedStart | undefined {
    return this.lastStarts.get(taskName);
  }

  /**
   * What to add to a time the leader wrote to read it on this process's clock: the smallest
   * `received - created` of the recent records (the one delivered fastest is the closest to the
   * clocks' difference), or 0 when that is within a second (delivery delay, not skew).
   */
  offset(): number {
    if (this.samples.length === 0) return 0;
    const smallest = Math.min(...this.samples);
    return Math.abs(smallest) > SKEW_THRESHOLD ? smallest : 0;
  }
}
