import type Database from 'better-sqlite3';
import { SqliteRunLogError } from './SqliteRunLogError';

/**
 * Files up to this many pages (4 MB at 4 KB a page) are checked whole when opened: about 10 ms.
 * The check reads every page (~10 µs each), so a file of a million records (146 MB) took 0.4 to
 * 0.8 s, most of a start-up; past this size only the tables a start reads are checked at once.
 */
export const WHOLE_CHECK_PAGES = 1000;

/** The tables that grow with the history; in a large file they are checked after the start. */
const HISTORY_TABLES = ['runs', 'run_output'];

/** What the fix of a damaged file says, at open and when the history check finds damage later. */
export const DAMAGED_FIX =
  'The file is damaged or not an SQLite database: move it aside (its history is lost; ' +
  '`sqlite3 <file> .recover` salvages what is readable) or restore it from a backup; ' +
  'the app starts on a new file.';

/** The error naming `problems`, the lines `PRAGMA quick_check` gave for a damaged file. */
export function damagedError(path: string, problems: readonly string[]): SqliteRunLogError {
  return new SqliteRunLogError(
    path,
    `its pages are damaged (PRAGMA quick_check: ${problems.join('; ')})`,
    DAMAGED_FIX,
  );
}

/** The lines of a `PRAGMA quick_check` that report damage (none when it says `ok`). */
export function problemsOf(rows: readonly { quick_check: string }[]): string[] {
  return rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
}

/**
 * A file whose pages are damaged would fail later, in the middle of a run: refuse it now. A small
 * file is checked whole; a larger one (unless `whole`) has every table but the history checked,
 * which is all a start reads, and returns true: its history is still to be checked.
 */
export function checkPages(db: Database.Database, path: string, whole: boolean): boolean {
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (whole || pages <= WHOLE_CHECK_PAGES) {
    const problems = problemsOf(db.pragma('quick_check(5)') as { quick_check: string }[]);
    if (problems.length > 0) throw damagedError(path, problems);
    return false;
  }
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN (${HISTORY_TABLES.map(() => '?').join(', ')})`,
    )
    .pluck()
    .all(...HISTORY_TABLES) as string[];
  const problems = tables.flatMap((table) =>
    // Checks the table and its indexes; the name comes from the schema, quoted as an identifier.
    problemsOf(db.pragma(`quick_check("${table.replaceAll('"', '""')}")`) as { quick_check: string }[]),
  );
  if (problems.length > 0) throw damagedError(path, problems);
  return true;
}
