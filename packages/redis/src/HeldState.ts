import type { RunRecord } from '@apogee/core';
import { readStored, taskStateShape } from '@apogee/core/internal';

/** What {@link HeldState.snapshot} gives the write-back script, as it stores each value. */
export interface StateSnapshot {
  /** Task -> its `state` hash field (JSON), as Redis last held it. */
  readonly states: Record<string, string>;
  /** Task -> '1' (disabled) or '0' (enabled). */
  readonly paused: Record<string, string>;
  /** Task -> run id of its last condition start (the fence's basis). */
  readonly lastStart: Record<string, string>;
  /** Run id -> its `open` hash field (JSON): runs begun or claimed and not ended. */
  readonly open: Record<string, string>;
  /** The highest record sequence seen. */
  readonly seq: number;
}

/** What these counts say: how much of each part a snapshot holds, for the write-back's warning. */
export interface SnapshotSize {
  readonly states: number;
  readonly paused: number;
  readonly lastStart: number;
  readonly open: number;
}

/**
 * What one replica holds of the shared state its restore reads, kept in step as it goes: the
 * task states read at restore, and each one as the append script left it (its own appends, and
 * other replicas' through the log's channel), pause states, last condition starts and open runs.
 * Should Redis come back empty under the running replicas (restarted without persistence, or
 * flushed), this is what they write back, so that a replica restoring afterwards does not run
 * `daily` again the same day. Values are kept exactly as Redis stores them, not re-encoded.
 */
export class HeldState {
  private readonly states = new Map<string, string>();
  private readonly paused = new Map<string, boolean>();
  private readonly open = new Map<string, string>();
  private seq = 0;

  constructor(
    /** The log's last condition starts, which its fence updates at each claim. */
    private readonly lastStarts: ReadonlyMap<string, string>,
  ) {}

  /** Everything a restore read: it replaces what was held. */
  restored(states: Record<string, string>, open: Record<string, string>): void {
    this.states.clear();
    this.open.clear();
    for (const [task, raw] of Object.entries(states)) this.holdState(task, raw);
    for (const [runId, raw] of Object.entries(open)) this.open.set(runId, raw);
  }

  /** A record stored (by anyone) as `seq`, leaving its task's state `state`; `process` wrote it. */
  stored(record: RunRecord, seq: number, state: string | undefined, process: string): void {
    this.seq = Math.max(this.seq, seq);
    if (state !== undefined) this.holdState(record.taskName, state);
    if (record.action !== 'run') {
      this.open.delete(record.runId);
      return;
    }
    const start = record.start?.getTime() ?? record.created.getTime();
    this.open.set(record.runId, openEntry(record.taskName, start, process, 1));
  }

  /** A start this process claimed (not recorded yet), or `undefined` once the claim is withdrawn. */
  claimed(runId: string, claim: { taskName: string; start: number; process: string } | undefined): void {
    if (claim === undefined) this.open.delete(runId);
    else this.open.set(runId, openEntry(claim.taskName, claim.start, claim.process, 0));
  }

  /** A task's pause state, as stored or read. */
  pause(taskName: string, disabled: boolean): void {
    this.paused.set(taskName, disabled);
  }

  /** How much this replica holds, by part. */
  get size(): SnapshotSize {
    return {
      states: this.states.size,
      paused: this.paused.size,
      lastStart: this.lastStarts.size,
      open: this.open.size,
    };
  }

  /** Everything held, as the write-back script takes it. */
  snapshot(): StateSnapshot {
    return {
      states: Object.fromEntries(this.states),
      paused: Object.fromEntries([...this.paused].map(([task, off]) => [task, off ? '1' : '0'])),
      lastStart: Object.fromEntries(this.lastStarts),
      open: Object.fromEntries(this.open),
      seq: this.seq,
    };
  }

  /**
   * Keeps `raw` as the task's state, and the highest sequence it points at. A malformed one is
   * not held (the restore that read it warned), so it is never written back.
   */
  private holdState(taskName: string, raw: string): void {
    const read = readStored(taskStateShape, raw);
    if ('problem' in read) return;
    this.states.set(taskName, raw);
    for (const last of Object.values(read.value.last)) this.seq = Math.max(this.seq, last.sequence);
  }
}

/** An `open` hash entry, as the claim and append scripts write it. */
function openEntry(taskName: string, start: number, process: string, recorded: 0 | 1): string {
  return JSON.stringify({ taskName, start, process, recorded });
}
