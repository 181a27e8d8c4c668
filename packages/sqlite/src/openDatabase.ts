import Database from 'better-sqlite3';
import { errorMessage } from '@apogee/core/internal';
import { MIGRATIONS } from './migrations';
import { SqliteRunLogError } from './SqliteRunLogError';

/** Opens the file in WAL mode and brings its schema up to this release's version. */
export function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      db.close();
      throw new SqliteRunLogError(
        path,
        `it was written by a newer version of @apogee/sqlite (schema version ${version}; this version reads up to ${MIGRATIONS.length})`,
        'Upgrade @apogee/sqlite, or give SqliteRunLog another file.',
      );
    }
    const migrate = db.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++)
        (db as Database.Database).exec(MIGRATIONS[v] as string);
      (db as Database.Database).pragma(`user_version = ${MIGRATIONS.length}`);
    });
    migrate();
    return db;
  } catch (error) {
    if (error instanceof SqliteRunLogError) throw error;
    db?.close();
    const message = errorMessage(error);
    const fix = /not a database|malformed|corrupt/i.test(message)
      ? 'The file is not a valid SQLite database: move it aside (history is lost) or restore it from a backup.'
      : 'Check that the directory exists and that this process may read and write the file.';
    throw new SqliteRunLogError(path, `cannot open it (${message})`, fix, undefined, error);
  }
}
