import type { RunRecord } from '@apogee/core';
import { errorMessage, readRunRecordValue } from '@apogee/core/internal';
import type { PostgresNode } from './PostgresNode';

/** Records read per query while catching up. */
const PAGE = 500;

/**
 * Hands `listener` every record other processes append, in order. A notification only says
 * "there is more"; the follower reads every record after the last `seq` it saw, so a burst of
 * notifications costs one read, and after a reconnection (notifications lost meanwhile) the same
 * read fetches what was missed. Appends of one app commit in `seq` order (they share a lock), so
 * "after the last seq seen" misses nothing.
 */
/** How often a follower reads after its cursor without being woken (ms). */
const RESCAN_INTERVAL = 2_000;

export class RecordFollower {
  private readonly state = {
    /** The last seq handed on; undefined until read (the start could not reach the database). */
    cursor: undefined as string | undefined,
    reading: false,
    /** Woken while a read was under way: read again when it ends. */
    again: false,
    stopped: false,
  };

  constructor(
    private readonly node: PostgresNode,
    private readonly listener: (record: RunRecord) => void,
    private readonly key: (seq: string) => string,
  ) {}

  /**
   * Resolves once the cursor is taken, LISTEN is confirmed and what came between was read (every
   * record stored from the cursor on reaches the listener); returns what stops it.
   */
  async start(): Promise<() => void> {
    let unlisten: (() => void) | undefined;
    try {
      // The cursor first, then LISTEN, then one read: a record committed between the two is read
      // then, and no drain woken meanwhile can read from a cursor not yet taken.
      this.state.cursor = await this.newest();
      unlisten = await this.node.listener.listen(this.node.channels.records, () => {
        void this.drain();
      });
      await this.drain();
    } catch (error) {
      this.node.warnings.warn({
        code: 'APOGEE_POSTGRES_WATCH',
        message: () =>
          `Apogee: this replica could not follow the shared log (${errorMessage(error)}); task states refresh at the next restore.`,
      });
    }
    // A safety net under the notifications: one indexed read every few seconds finds a record
    // whose NOTIFY this session never got (one committed while LISTEN was being set up, a
    // notification dropped with a connection that had not yet noticed it was gone).
    const poll = setInterval(() => {
      void this.drain();
    }, RESCAN_INTERVAL);
    poll.unref();
    return () => {
      this.state.stopped = true;
      clearInterval(poll);
      unlisten?.();
    };
  }

  private async drain(): Promise<void> {
    if (this.state.reading) {
      this.state.again = true;
      return;
    }
    this.state.reading = true;
    try {
      do {
        this.state.again = false;
        while (!this.state.stopped && (await this.readPage()) === PAGE);
      } while (this.state.again && !this.state.stopped);
    } catch (error) {
      this.node.warnings.warn({
        code: 'APOGEE_POSTGRES_WATCH',
        message: () =>
          `Apogee: reading the shared log failed (${errorMessage(error)}); retrying at the next record.`,
      });
    } finally {
      this.state.reading = false;
    }
  }

  /** The seq of the app's newest record ('0' for none). */
  private async newest(): Promise<string> {
    const rows = await this.node.query<{ seq: string | null }>(
      `SELECT max(seq) AS seq FROM ${this.node.s}.records WHERE app = $1`,
      [this.node.name],
    );
    return rows[0]?.seq ?? '0';
  }

  /**
   * The next page, each row with whether `append` stored it. `append` refuses an end for a run
   * that is not open (and a second 'run'), and folds every record it stores into the task's state
   * in the same transaction, so a row that state has not taken in (its action's last sequence is
   * below the row's) was written past it, by hand: the leader ignores it, and so must a follower.
   * A hand-written row followed by a real one of the same action passes, and the real one then
   * overwrites what it set.
   */
  private pageQuery(): string {
    const { s } = this.node;
    const sequence = `s.state -> 'last' -> r.action -> 'sequence'`;
    return `SELECT r.seq, r.process, r.record,
        coalesce(jsonb_typeof(${sequence}) = 'number' AND (${sequence})::text::numeric >= r.seq, false) AS appended
      FROM ${s}.records r LEFT JOIN ${s}.task_state s ON s.app = r.app AND s.task = r.task
      WHERE r.app = $1 AND r.seq > $2 ORDER BY r.seq LIMIT ${String(PAGE)}`;
  }

  /** Reads and hands on the next page after the cursor; returns how many rows it read. */
  private async readPage(): Promise<number> {
    // Started without a cursor: follow from now on (the app's restore covers what came before).
    this.state.cursor ??= await this.newest();
    const rows = await this.node.query<{ seq: string; process: string; record: unknown; appended: boolean }>(
      this.pageQuery(),
      [this.node.name, this.state.cursor],
    );
    for (const row of rows) {
      this.state.cursor = row.seq;
      if (this.state.stopped) break;
      if (row.process === this.node.processId) continue;
      if (!row.appended) {
        this.node.warnings.skip(
          this.key(row.seq),
          'a run record',
          "it was not stored through append (its task's state never took it in: a run that was not open, written by hand)",
        );
        continue;
      }
      const read = readRunRecordValue(row.record);
      if ('value' in read) this.listener(read.value);
      else this.node.warnings.skip(this.key(row.seq), 'a run record', read.problem);
    }
    return rows.length;
  }
}
