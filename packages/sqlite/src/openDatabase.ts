import Database from 'better-sqlite3';
import { errorMessage } from '@apogee/core/internal';
import { checkPages, DAMAGED_FIX } from './checkPages';
import { MIGRATIONS } from './migrations';
import { refusedByDisk } from './refusedByDisk';
import { SqliteRunLogError } from './SqliteRunLogError';

/**
 * Pages (of 4 KB) the WAL may hold before SQLite copies them into the file. SQLite's default,
 * 1,000, let the WAL reach 4 MB at ~49 KB a record; at 400 it stays under 1.7 MB. Fewer costs
 * appends dearly (each checkpoint syncs the file): 2,000 appends took 4.0 s at 100 pages, 2.4 s
 * at 250, 1.6 s at 400, 1.7 s at 1,000 (best of three on a loaded 2-core machine).
 */
const WAL_AUTOCHECKPOINT_PAGES = 400;

/**
 * Bytes a WAL keeps after a checkpoint: without a limit it stays at its largest size forever,
 * and on a full disk it takes back the space just freed.
 */
const JOURNAL_SIZE_LIMIT = 1024 * 1024;

/** A file opened: its connection, and whether its history is still to be checked for damage. */
export interface OpenedDatabase {
  readonly db: Database.Database;
  /** A large file's history is checked after the start (see `checkPages`, `HistoryCheck`). */
  readonly historyUnchecked: boolean;
}

/**
 * Opens the file in WAL mode (the WAL bounded), refuses it when its pages are damaged
 * (`PRAGMA quick_check`: the whole of a small file, what a start reads of a large one), and
 * brings its schema up to this release's version.
 */
export function openDatabase(path: string, busyTimeoutMs: number): OpenedDatabase {
  let db: Database.Database | undefined;
  // Another connection cannot read a file this one locks: its check cannot wait for a worker.
  let exclusive = false;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    try {
      db.pragma('journal_mode = WAL');
    } catch (error) {
      if (!refusedByDisk(error)) throw error;
      // A full disk has no room for the WAL's shared-memory file (32 KB); in exclusive locking
      // mode SQLite keeps that index in this process's memory, so the file can still be read
      // (and written, once there is room). Other processes cannot read it meanwhile.
      db.close();
      db = new Database(path, { timeout: busyTimeoutMs });
      db.pragma('locking_mode = EXCLUSIVE');
      exclusive = true;
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    const historyUnchecked = checkPages(db, path, exclusive);
    migrate(db, path);
    return { db, historyUnchecked };
  } catch (error) {
    closeQuietly(db);
    if (error instanceof SqliteRunLogError) throw error;
    const message = errorMessage(error);
    const fix = /not a database|malformed|corrupt/i.test(message)
      ? DAMAGED_FIX
      : /full|I\/O/i.test(message)
        ? 'The disk refused a write (full, or a file size limit): free space and start the app again.'
        : 'Check that the directory exists and that this process may read and write the file.';
    throw new SqliteRunLogError(path, `cannot open it (${message})`, fix, undefined, error);
  }
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new SqliteRunLogError(
      path,
      `it was written by a newer version of @apogee/sqlite (schema version ${version}; this version reads up to ${MIGRATIONS.length})`,
      'Upgrade @apogee/sqlite, or give SqliteRunLog another file.',
    );
  }
  if (version === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}

/** Closing a file that failed to open must not replace the reason it failed. */
function closeQuietly(db: Database.Database | undefined): void {
  try {
    db?.close();
  } catch {
    // The error being thrown already says what is wrong with the file.
  }
}
