import { errorMessage } from '@apogee/core/internal';
import { SqliteRunLogError } from './SqliteRunLogError';

/** A failure of the file at `path` while doing `what`, with a fix that fits SQLite's error code. */
export function wrapSqliteError(path: string, what: string, error: unknown): SqliteRunLogError {
  const message = errorMessage(error);
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const fix =
    code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')
      ? 'The disk refused a write (full, a file size limit, or failing): free space. Apogee keeps the task state in memory meanwhile.'
      : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || error instanceof SyntaxError
        ? 'The file is damaged: move it aside (its history is lost; `sqlite3 <file> .recover` salvages what is readable) or restore it from a backup.'
        : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
          ? 'Another process holds a write lock on the file: let only one scheduler write to it.'
          : code.startsWith('SQLITE_READONLY')
            ? 'The file is read-only for this process: fix its permissions.'
            : 'See the cause; the scheduler keeps its state in memory and goes on.';
  return new SqliteRunLogError(path, `${what} (${message})`, fix, undefined, error);
}
