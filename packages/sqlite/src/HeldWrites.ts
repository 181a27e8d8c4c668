import type { RunRecord } from '@apogee/core';

/** A write the file refused, kept to be stored once it accepts writes again. */
export type HeldWrite =
  | { readonly kind: 'record'; readonly record: RunRecord }
  | { readonly kind: 'pause'; readonly taskName: string; readonly disabled: boolean };

/**
 * Writes held over a full disk (or a file that refuses writes), stored in order once the file
 * takes writes again: the state they carry (a `daily` run today, a pause) must reach the file
 * before a restart reads it. Past `limit` the oldest are dropped and counted, so a disk full for
 * days costs bounded memory.
 */
export class HeldWrites {
  private readonly queue: HeldWrite[] = [];
  /** Writes dropped past the limit since the queue was last emptied. */
  private dropped = 0;

  constructor(private readonly limit = 100_000) {}

  get size(): number {
    return this.queue.length;
  }

  /** The held records, oldest first (what `restore()` adds to the state it read). */
  records(): RunRecord[] {
    return this.queue.flatMap((write) => (write.kind === 'record' ? [write.record] : []));
  }

  /** The held pause changes, oldest first (they win over the file's, being later). */
  pauses(): { taskName: string; disabled: boolean }[] {
    return this.queue.flatMap((write) => (write.kind === 'pause' ? [write] : []));
  }

  hold(write: HeldWrite): void {
    this.queue.push(write);
    if (this.queue.length > this.limit) {
      this.queue.shift();
      this.dropped++;
    }
  }

  /**
   * Stores the held writes in order through `store` until one throws (that one stays first, and
   * the error is thrown). Returns how many were stored and how many had been dropped.
   */
  flush(store: (write: HeldWrite) => void): { stored: number; dropped: number } {
    let stored = 0;
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      store(next);
      this.queue.shift();
      stored++;
    }
    const dropped = this.dropped;
    this.dropped = 0;
    return { stored, dropped };
  }
}
