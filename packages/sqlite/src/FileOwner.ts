import type Database from 'better-sqlite3';
import type { FoldedWarnings } from '@apogee/core/internal';
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
 * host and a token, renewed on an unref'd timer. An owner is stale, and taken over, when its
 * process is gone (same host) or it has not renewed the lease for `timeoutMs` (any host, and a
 * reused pid). Times are wall-clock milliseconds, the only clock two processes share.
 */
export class FileOwner {
  private readonly state: {
    /** Identifies this holder: another log in this process, or a later owner, has another. */
    readonly token: string;
    /** The renewal timer while this holder owns the file. */
    timer: ReturnType<typeof setInterval> | undefined;
    /** Set when another process took the file over while this one held it. */
    lostTo: OwnerRow | undefined;
  } = { token: randomUUID(), timer: undefined, lostTo: undefined };
  private readonly host = hostname();

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly timeoutMs: number,
    private readonly warnings: FoldedWarnings,
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
    this.state.lostTo = undefined;
    if (this.state.timer === undefined) {
      this.state.timer = setInterval(
        () => {
          this.renew();
        },
        Math.max(1, Math.floor(this.timeoutMs / 4)),
      );
      this.state.timer.unref();
    }
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

  /** Gives the file up, if this holder owns it. */
  release(): void {
    this.stopRenewing();
    if (this.db.open) this.db.prepare('DELETE FROM owner WHERE token = ?').run(this.state.token);
  }

  private mayTakeOver(owner: OwnerRow): boolean {
    if (owner.host === this.host && owner.pid === process.pid) return !LIVE_HOLDERS.has(owner.token);
    if (owner.host === this.host && !isAlive(owner.pid)) return true;
    return Date.now() - owner.renewed > this.timeoutMs;
  }

  private renew(): void {
    try {
      this.tryRenew();
    } catch (error) {
      // A busy or full file: the next renewal tries again, well within the timeout.
      this.warnings.warn({
        code: 'APOGEE_SQLITE_OWNER_RENEWAL',
        message: () =>
          `SqliteRunLog: run log "${this.path}": cannot renew its ownership (${error instanceof Error ? error.message : String(error)}).`,
      });
    }
  }

  private tryRenew(): void {
    if (!this.db.open) {
      this.stopRenewing();
      return;
    }
    const renewed = this.db
      .prepare('UPDATE owner SET renewed = ? WHERE id = 1 AND token = ?')
      .run(Date.now(), this.state.token).changes;
    if (renewed === 1) return;
    this.stopRenewing();
    const owner = this.db.prepare('SELECT token, pid, host, since, renewed FROM owner WHERE id = 1').get() as
      OwnerRow | undefined;
    // Another log of this process took over on purpose; only a foreign owner means two writers.
    if (owner === undefined || (owner.pid === process.pid && owner.host === this.host)) return;
    this.state.lostTo = owner;
    this.warnings.warn({
      code: 'APOGEE_SQLITE_OWNER_LOST',
      message: () =>
        `SqliteRunLog: run log "${this.path}": process ${owner.pid} on host "${owner.host}" took the file over ` +
        'because this process did not renew its ownership in time (was its event loop blocked?). ' +
        'This log stores no more records.',
    });
  }

  private stopRenewing(): void {
    LIVE_HOLDERS.delete(this.state.token);
    if (this.state.timer !== undefined) clearInterval(this.state.timer);
    this.state.timer = undefined;
  }
}
