import { rmSync } from 'node:fs';
import { errorMessage } from '@apogee/core/internal';
import { openConnection, type Connection, type ConnectionOptions } from './Connection';
import type { FileFate } from './FileIdentity';
import { readSnapshot, writeSnapshot, type StateSnapshot } from './StateSnapshot';

/** A file left because it was deleted or replaced: what is to be written into the new one. */
export interface LeftFile {
  readonly fate: Exclude<FileFate, 'same'>;
  /** The state read from the old file before it was closed. */
  readonly snapshot: StateSnapshot;
  /** Whether the old file's whole history was copied to the path (`VACUUM INTO`). */
  readonly copied: boolean;
  /** Why the state could not be read from the old file, if it could not. */
  readonly unreadable?: string;
}

const EMPTY: StateSnapshot = { lastRecords: [], states: [], pauses: [], openRuns: [] };

/**
 * Reads what a restart needs from the old file (still open, though no longer at `path`), copies
 * its whole history to `path` when the file was deleted (nothing is there to overwrite), and
 * closes it. Closing comes before anything opens `path`: the old connection's WAL is at
 * `path-wal`, and a new file there must not replay the old file's pages.
 */
export function leaveFile(old: Connection, path: string, fate: Exclude<FileFate, 'same'>): LeftFile {
  old.owner.forget();
  let snapshot = EMPTY;
  let unreadable: string | undefined;
  try {
    snapshot = readSnapshot(old.db);
  } catch (error) {
    unreadable = errorMessage(error);
  }
  let copied = false;
  if (fate === 'deleted') {
    try {
      old.db.prepare('VACUUM INTO ?').run(path);
      copied = true;
    } catch {
      // A partial copy (a full disk) would be refused as damaged: the snapshot is written instead.
      rmSync(path, { force: true });
    }
  }
  emptyWal(old, path);
  try {
    old.db.close();
  } catch {
    // Its data is read; an error closing a file no longer at its path changes nothing.
  }
  return { fate, snapshot, copied, ...(unreadable === undefined ? {} : { unreadable }) };
}

/**
 * Empties the old file's WAL, which is still at `path-wal`. SQLite neither checkpoints nor deletes
 * the WAL of a file moved or unlinked when it closes it, and a new file at `path` would then
 * replay the old file's pages over its own. When the WAL cannot be emptied (a full disk), it is
 * unlinked with its index: the old file is read already, and the connection keeps its copy open.
 */
function emptyWal(old: Connection, path: string): void {
  try {
    const [result] = old.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy === 0) return;
  } catch {
    // Unlinked below.
  }
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
}

/**
 * Opens the file now at `path` (creating it if none is there), writes the state `left` carries
 * into it unless the whole history was copied, and takes ownership when the log owns its file.
 * Throws, leaving nothing open, when any of that fails (a full disk, a file another app owns).
 */
export function reopenFile(
  path: string,
  options: ConnectionOptions,
  left: LeftFile,
  owning: boolean,
): Connection {
  const conn = openConnection(path, options);
  try {
    if (!left.copied) writeSnapshot(conn.db, left.snapshot);
    if (owning) conn.owner.acquire();
    return conn;
  } catch (error) {
    conn.owner.forget();
    conn.db.close();
    throw error;
  }
}
