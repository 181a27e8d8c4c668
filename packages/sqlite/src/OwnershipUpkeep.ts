import type { StoreWarnings } from '@apogee/core/internal';
import type { Connection } from './Connection';
import type { HeldWriter } from './HeldWriter';
import type { OpenFile } from './OpenFile';
import { refusedByDisk } from './refusedByDisk';
import { SqliteRunLogError } from './SqliteRunLogError';

/**
 * The upkeep of a file a `SqliteRunLog` owns, every quarter of the owner timeout from `restore()`
 * to `release()`: notices a deleted or replaced file (see `OpenFile`), renews the ownership (or
 * takes it, after a start on a full disk), and stores the writes held meanwhile.
 */
export class OwnershipUpkeep {
  /** Between `restore()` and `release()`: the log owns the file and keeps it up. */
  owning = false;
  /** The ownership could not be written at `restore()` (a full disk): each upkeep tries again. */
  private ownerUnwritten = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly file: OpenFile,
    private readonly writer: HeldWriter,
    private readonly warnings: StoreWarnings,
    private readonly ownerTimeoutMs: number,
    private readonly wrap: (what: string, error: unknown) => SqliteRunLogError,
  ) {}

  /**
   * Takes the file's ownership and returns when a replaced owner last renewed it, then keeps it up.
   * On a disk that refuses the write the app starts anyway (warned): the upkeep takes it later.
   */
  begin(conn: Connection): number | undefined {
    const ownerLastSeen = this.acquire(conn);
    this.owning = true;
    if (this.timer === undefined) {
      const every = Math.max(1, Math.floor(this.ownerTimeoutMs / 4));
      this.timer = setInterval(() => {
        this.tick();
      }, every);
      this.timer.unref();
    }
    return ownerLastSeen;
  }

  /** Stops the upkeep (the ownership itself is given up by the caller). */
  end(): void {
    this.owning = false;
    this.ownerUnwritten = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private acquire(conn: Connection): number | undefined {
    try {
      this.ownerUnwritten = false;
      return conn.owner.acquire();
    } catch (error) {
      if (error instanceof SqliteRunLogError) throw error;
      if (!refusedByDisk(error)) throw this.wrap('cannot take ownership of the file', error);
      this.ownerUnwritten = true;
      this.warnings.failed(
        'take ownership of the file',
        error,
        'The app starts with its state in memory; the ownership is taken once the file takes writes.',
      );
      return undefined;
    }
  }

  private tick(): void {
    try {
      if (this.file.check(this.owning)) this.writer.flushHeld();
      const conn = this.file.current;
      if (conn === undefined) return;
      if (this.ownerUnwritten) this.acquire(conn);
      else conn.owner.renew();
      this.writer.flushHeld();
    } catch (error) {
      this.warnings.failed(
        'keep the file up (renew its ownership, store held writes)',
        error,
        'The next renewal tries again, well within the owner timeout.',
      );
    }
  }
}
