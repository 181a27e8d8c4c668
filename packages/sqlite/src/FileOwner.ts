import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SqliteRunLogInUseError } from './SqliteRunLogInUseError';

interface OwnerRow {
  token: string;
  pid: number;
  host: string;
  since: number;
  renewed: number;
}

/**
 * Tokens of the holders in this process that own their file now. Kept on `globalThis`, so that two
 * copies of this package in one process (two bundles, two versions) see each other's holders.
 */
const LIVE_HOLDERS: Set<string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('apogee.sqlite.liveHolders')
] ??= new Set<string>()) as Set<string>;

/** Whether a process of this host is alive; EPERM means it is, but belongs to another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lease that makes one running app the owner of an SQLite file: a row with the owner's pid,
 * host and a token, renewed by the log's upkeep (every quarter of `timeoutMs`). An owner is stale, and taken over, when its
 * process is gone (same host) or it has not renewed the lease for `timeoutMs` (any host, and a
 * reused pid). Times are wall-clock milliseconds, the only clock two processes share.
 */
export class FileOwner {
  private readonly state: {
    /** Identifies this holder: another log in this process, or a later owner, has another. */
    readonly token: string;
    /** Whether this holder owns the file now (between `acquire()` and `release()`). */
    holding: boolean;
    /** Set when another process took the file over while this one held it. */
    lostTo: OwnerRow | undefined;
  } = { token: randomUUID(), holding: false, lostTo: undefined };
  private readonly host = hostname();

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Makes this holder the file's owner, taking over a stale owner: a process that is gone or has
   * not renewed the lease, or a log of this same process that no longer holds it (its app
   * stopped without releasing it). Throws {@link SqliteRunLogInUseError} while another live
   * process owns it, or another log of this process that has not been released (a second App
   * running on the file). Returns when the owner it replaced last renewed the lease (its last
   * sign of life), if it replaced one.
   */
  acquire(): number | undefined {
    let previous: number | undefined;
    const take = this.db.transaction(() => {
      const owner = this.db
        .prepare('SELECT token, pid, host, since, renewed FROM owner WHERE id = 1')
        .get() as OwnerRow | undefined;
      if (owner !== undefined && owner.token !== this.state.token && !this.mayTakeOver(owner)) {
        throw this.inUse(owner);
      }
      if (owner !== undefined && owner.token !== this.state.token) previous = owner.renewed;
      const now = Date.now();
      this.db
        .prepare(
          `INSERT INTO owner (id, token, pid, host, since, renewed) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
             since = excluded.since, renewed = excluded.renewed`,
        )
        .run(this.state.token, process.pid, this.host, now, now);
    });
    // IMMEDIATE: two processes starting together cannot both read "no owner" and both take it.
    take.immediate();
    LIVE_HOLDERS.add(this.state.token);
    this.state.holding = true;
    this.state.lostTo = undefined;
    return previous;
  }

  /** The error for a file that `owner` holds. */
  private inUse(owner: OwnerRow): SqliteRunLogInUseError {
    return new SqliteRunLogInUseError(
      this.path,
      owner.pid,
      owner.host,
      new Date(owner.since),
      new Date(owner.renewed),
      owner.host === this.host && owner.pid === process.pid,
    );
  }

  /** Throws when another process took the file over from this one; writes must stop then. */
  assertNotLost(): void {
    const owner = this.state.lostTo;
    if (owner !== undefined) {
      throw this.inUse(owner);
    }
  }

  /** Whether this holder owns the file now, and so must renew its ownership. */
  get holding(): boolean {
    return this.state.holding;
  }

  /** Gives the file up, if this holder owns it. */
  release(): void {
    this.forget();
    if (this.db.open) this.db.prepare('DELETE FROM owner WHERE token = ?').run(this.state.token);
  }

  /** Stops holding the file without writing to it (it was deleted or replaced under this holder). */
  forget(): void {
    LIVE_HOLDERS.delete(this.state.token);
    this.state.holding = false;
  }

  private mayTakeOver(owner: OwnerRow): boolean {
    if (owner.host === this.host && owner.pid === process.pid) return !LIVE_HOLDERS.has(owner.token);
    if (owner.host === this.host && !isAlive(owner.pid)) return true;
    return Date.now() - owner.renewed > this.timeoutMs;
  }

  /**
   * Renews the ownership; throws when the file refuses the write (busy, full: the next renewal
   * tries again, well within the timeout). Finding the file taken over, it stops holding it.
   */
  renew(): void {
    if (!this.state.holding) return;
    if (!this.db.open) {
      this.forget();
      return;
    }
    const renewed = this.db
      .prepare('UPDATE owner SET renewed = ? WHERE id = 1 AND token = ?')
      .run(Date.now(), this.state.token).changes;
    if (renewed === 1) return;
    this.forget();
    const owner = this.db.prepare('SELECT token, pid, host, since, renewed FROM owner WHERE id = 1').get() as
      OwnerRow | undefined;
    // Another log of this process took over on purpose; only a foreign owner means two writers.
    if (owner === undefined || (owner.pid === process.pid && owner.host === this.host)) return;
    this.state.lostTo = owner;
    process.emitWarning(
      `SqliteRunLog: run log "${this.path}": process ${owner.pid} on host "${owner.host}" took the file over ` +
        'because this process did not renew its ownership in time (was its event loop blocked?). ' +
        'This log stores no more records.',
      { code: 'APOGEE_SQLITE_OWNER_LOST' },
    );
  }
}
