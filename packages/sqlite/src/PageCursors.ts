import type Database from 'better-sqlite3';
import type { RunQuery } from '@apogee/core';

/** Page ends remembered; past this the oldest is forgotten (a reader walking back needs one per walk). */
const MAX_CURSORS = 256;

/**
 * Where recent pages of `records()` ended, so the page after one starts below an id instead of
 * stepping over an offset. A reader walking back through 100,000 records asks for offsets 0,
 * 1000, 2000...; with `OFFSET`, SQLite steps over every skipped index entry, and each call costs
 * more than the last. A remembered end is used only while the table is exactly as it was when it
 * was read: nothing written by this connection (`total_changes()`) or by any other
 * (`data_version`) since. Otherwise the page is read by its offset, as the contract of
 * `RunQuery.offset` says, and its end remembered anew.
 */
export class PageCursors {
  private readonly ends = new Map<string, { readonly id: number; readonly stamp: string }>();
  private readonly version: Database.Statement<[], { changes: number; version: number }>;

  constructor(db: Database.Database) {
    this.version = db.prepare(
      'SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version',
    );
  }

  /** What the table's state is now, to compare with the state a page was read in. */
  stamp(): string {
    const row = this.version.get();
    return row === undefined ? '' : `${String(row.changes)}:${String(row.version)}`;
  }

  /** The id the page at `query.offset` starts below, when the page before it ended there in this same state. */
  below(query: RunQuery, stamp: string): number | undefined {
    if (query.offset === undefined || query.offset === 0) return undefined;
    const end = this.ends.get(key(query, query.offset));
    return end?.stamp === stamp ? end.id : undefined;
  }

  /** Remembers that the newest `offset` matches of `query` end at `id` (the oldest of them). */
  remember(query: RunQuery, offset: number, id: number, stamp: string): void {
    const k = key(query, offset);
    this.ends.delete(k);
    if (this.ends.size >= MAX_CURSORS) this.ends.delete(this.ends.keys().next().value as string);
    this.ends.set(k, { id, stamp });
  }
}

function key(query: RunQuery, offset: number): string {
  return `${query.taskName ?? ''}\u0000${query.action ?? ''}\u0000${String(offset)}`;
}
