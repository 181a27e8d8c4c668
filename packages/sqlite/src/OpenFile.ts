import type { StoreWarnings } from '@apogee/core/internal';
import type { Connection, ConnectionOptions } from './Connection';
import type { FileFate } from './FileIdentity';
import { HISTORY_CHECK_DELAY_MS, HistoryCheck } from './HistoryCheck';
import { leaveFile, reopenFile, type LeftFile } from './reopenFile';
import { SqliteRunLogError } from './SqliteRunLogError';

/**
 * The file a `SqliteRunLog` has open, and its recovery: a file deleted or replaced under the
 * running app (told by its device and inode, see `FileIdentity`) is left, reported as an error, and
 * recreated at its path with the state a restart needs written back (the whole history, when it
 * was deleted and the old file can still be read). Until that succeeds, `current` is undefined and
 * the log holds its writes in memory; each ownership renewal tries again.
 */
export class OpenFile {
  private conn: Connection | undefined;
  /** The file left, while its state waits to be written into a new one. */
  private left: LeftFile | undefined;
  /** The check of the open file's history, while it runs (a large file's, after it opened). */
  private historyCheck: HistoryCheck | undefined;

  constructor(
    private readonly path: string,
    private readonly options: ConnectionOptions,
    private readonly warnings: StoreWarnings,
    first: Connection,
  ) {
    this.conn = first;
    this.checkHistory(first);
  }

  /** The open file; undefined while a deleted or replaced file cannot be recreated yet. */
  get current(): Connection | undefined {
    return this.conn;
  }

  /** The open file, or an error saying it is being recreated. */
  connection(what: string): Connection {
    const conn = this.conn;
    if (conn !== undefined) return conn;
    throw new SqliteRunLogError(
      this.path,
      `cannot ${what}: the file was ${this.left?.fate ?? 'lost'} and cannot be recreated yet`,
      'See the earlier warning for the reason; the log retries at each ownership renewal.',
    );
  }

  /**
   * At each ownership renewal: leaves a file that was deleted or replaced under the log and opens
   * one at its path (`owning`: taking its ownership). Returns whether a file was recreated, so
   * that the writes held meanwhile are stored.
   */
  check(owning: boolean): boolean {
    if (this.left !== undefined) return this.reopen(owning);
    const conn = this.conn;
    if (conn === undefined) return false;
    const fate: FileFate = conn.identity.fate();
    if (fate === 'same') return false;
    this.conn = undefined;
    this.stopCheck();
    this.left = leaveFile(conn, this.path, fate);
    const left = this.left;
    process.emitWarning(
      `SqliteRunLog: run log "${this.path}": the file was ${fate === 'deleted' ? 'deleted' : 'replaced by another file'} ` +
        'while the app ran on it; writes went to a file no restart would read. The log recreates the file at ' +
        (left.copied
          ? 'its path with the whole history (copied from the old file, still open).'
          : `its path with the state a restart needs (each task's last records, state, pause and open runs${left.unreadable === undefined ? '' : `; the old file could not be read: ${left.unreadable}`}).`) +
        ' Find out what removed it: backups or clean-up jobs must leave the file of a running app alone.',
      { type: 'SqliteRunLogError', code: 'APOGEE_SQLITE_FILE_REPLACED' },
    );
    return this.reopen(owning);
  }

  /** Opens the file at the path again with the state of the one left; retried until it succeeds. */
  private reopen(owning: boolean): boolean {
    const left = this.left;
    if (left === undefined) return false;
    try {
      this.conn = reopenFile(this.path, this.options, left, owning);
    } catch (error) {
      this.warnings.failed(
        'recreate the file',
        error,
        'The state stays in memory (records are held); each ownership renewal tries again.',
      );
      return false;
    }
    this.left = undefined;
    this.checkHistory(this.conn);
    process.emitWarning(
      `SqliteRunLog: run log "${this.path}": recreated the file${left.copied ? ' with its whole history' : ' with the state a restart needs'}; records go to it again.`,
      { code: 'APOGEE_SQLITE_FILE_RECREATED' },
    );
    return true;
  }

  /** Ends the check of the file's history, if one runs: the log is closing the file. */
  stopCheck(): void {
    this.historyCheck?.stop();
    this.historyCheck = undefined;
  }

  private checkHistory(conn: Connection): void {
    if (!conn.historyUnchecked) return;
    this.historyCheck = new HistoryCheck(
      this.path,
      this.options.busyTimeoutMs,
      this.warnings,
      HISTORY_CHECK_DELAY_MS,
    );
  }
}
