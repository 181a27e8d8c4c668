import type Database from 'better-sqlite3';
import type { Clock, RunRecord } from '@apogee/core';
import { FileIdentity } from './FileIdentity';
import { FileOwner } from './FileOwner';
import { openDatabase } from './openDatabase';
import { PageCursors } from './PageCursors';
import { prepareWrite } from './prepareWrite';
import { Retention, type RetentionLimits } from './Retention';
import { RunOutputTable } from './RunOutputTable';
import { TaskPauses } from './TaskPauses';

/** What a connection is opened with: the log's options, resolved. */
export interface ConnectionOptions {
  readonly busyTimeoutMs: number;
  readonly ownerTimeoutMs: number;
  readonly limits: RetentionLimits;
  readonly clock: Clock;
}

/**
 * One open file and everything prepared on it. A log replaces its connection whole when the file
 * is deleted or replaced under it, so nothing keeps a statement of the old file.
 */
export interface Connection {
  readonly db: Database.Database;
  /** The file opened, to notice another file at its path. */
  readonly identity: FileIdentity;
  readonly write: (record: RunRecord) => void;
  readonly retention: Retention;
  readonly owner: FileOwner;
  readonly pauses: TaskPauses;
  readonly cursors: PageCursors;
  /** Runs' own output (`run_output`). */
  readonly outputs: RunOutputTable;
  /** The file is large: its history was not checked for damage as it opened (see `HistoryCheck`). */
  readonly historyUnchecked: boolean;
}

/** Opens (or creates) the file at `path`: see `openDatabase`. */
export function openConnection(path: string, options: ConnectionOptions): Connection {
  const { db, historyUnchecked } = openDatabase(path, options.busyTimeoutMs);
  return {
    db,
    historyUnchecked,
    identity: new FileIdentity(path),
    write: prepareWrite(db),
    retention: new Retention(db, options.limits, options.clock),
    owner: new FileOwner(db, path, options.ownerTimeoutMs),
    pauses: new TaskPauses(db),
    cursors: new PageCursors(db),
    outputs: new RunOutputTable(db),
  };
}
