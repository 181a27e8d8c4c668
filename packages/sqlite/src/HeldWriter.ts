import type { StoreWarnings } from '@apogee/core/internal';
import type { Connection } from './Connection';
import { HeldWrites, type HeldWrite } from './HeldWrites';
import type { OpenFile } from './OpenFile';
import { refusedByDisk } from './refusedByDisk';
import type { SqliteRunLogError } from './SqliteRunLogError';

/**
 * Writes records and pauses into the open file, holding in memory (in order) what it refuses: a
 * full disk, or a file being recreated. Held writes go first once it takes writes again, so the
 * file never gets a later state before an earlier one. Keeps the WAL bounded: a refused write
 * checkpoints it, since giving its space back may be what lets writes in.
 */
export class HeldWriter {
  readonly held = new HeldWrites();

  constructor(
    private readonly path: string,
    private readonly file: OpenFile,
    private readonly warnings: StoreWarnings,
    private readonly wrap: (what: string, error: unknown) => SqliteRunLogError,
  ) {}

  /** Writes `write`, or holds it when the file refuses it (or is being recreated). */
  store(write: HeldWrite): void {
    if (this.held.size > 0) this.flushHeld();
    const conn = this.file.current;
    if (this.held.size > 0 || conn === undefined) {
      this.held.hold(write);
      return;
    }
    try {
      apply(conn, write);
    } catch (error) {
      if (!refusedByDisk(error)) throw this.wrap(`cannot ${describe(write)}`, error);
      this.held.hold(write);
      this.warnings.failed(
        'store a record',
        error,
        `Records and pauses are kept in memory (${this.held.size} held) and stored in order once the file ` +
          'takes writes again (free space); the scheduler goes on.',
        { detail: describe(write) },
      );
      this.checkpoint();
    }
  }

  /** Stores the held writes, if the file takes them now; says so once they are all in. */
  flushHeld(): void {
    const conn = this.file.current;
    if (conn === undefined || this.held.size === 0) return;
    try {
      const { stored, dropped } = this.held.flush((write) => {
        apply(conn, write);
      });
      process.emitWarning(
        `SqliteRunLog: run log "${this.path}": the file takes writes again; stored the ${stored} writes held in memory` +
          (dropped > 0 ? ` (${dropped} older ones were dropped past the limit of writes held)` : '') +
          '.',
        { code: 'APOGEE_SQLITE_HELD_STORED' },
      );
    } catch (error) {
      if (!refusedByDisk(error)) throw this.wrap('cannot store the writes held in memory', error);
    }
  }

  /** Copies the WAL into the file and truncates it (to give disk space back); quietly best effort. */
  checkpoint(): void {
    try {
      this.file.current?.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A busy reader or a full disk: the next checkpoint (automatic at 100 pages) does it.
    }
  }
}

function apply(conn: Connection, write: HeldWrite): void {
  if (write.kind === 'record') conn.write(write.record);
  else conn.pauses.set(write.taskName, write.disabled);
}

function describe(write: HeldWrite): string {
  return write.kind === 'record'
    ? `store a "${write.record.action}" record of task "${write.record.taskName}"`
    : `store that task "${write.taskName}" was ${write.disabled ? 'disabled' : 'enabled'}`;
}
