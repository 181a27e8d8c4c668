import { randomBytes } from 'node:crypto';
import type { Clock, Leadership, StoreFailure } from '@apogee/core';
import { checkClockSkew, RoundTrips } from '@apogee/core/internal';
import type { PostgresNode } from './PostgresNode';

/**
 * The leader lease: one row per app in `leases`, with the holder's token and the instant it ends
 * on the database's clock (`now()`). Every replica tries to take it once per renewal interval (a
 * third of the TTL), which succeeds only where the row is absent or has expired; the holder
 * renews at that interval, which succeeds only while its token is there and unexpired. No two
 * machines' clocks are ever compared: the database's alone decides whether a lease has expired.
 *
 * Why a row and not a session advisory lock: an advisory lock lasts as long as its connection,
 * and a paused process (SIGSTOP, a long GC, a frozen VM) keeps its connection open, so no
 * standby could take over until TCP gave up on it, minutes later. A row expires on time whatever
 * the holder does; what it needs instead is fencing (a paused ex-holder may wake believing it
 * leads), which the start fence does by checking the token in the same statement as each claim.
 *
 * Here the term is valid until the last successful renewal's send time plus the TTL minus a
 * margin, on the monotonic clock: `isLeader` turns false by itself at that instant, even in a
 * process that was paused and has not run a timer since.
 *
 * A lease this process cannot use is given back at once under its token, so that a standby takes
 * over without waiting for the TTL: a term that ran out here before a renewal came back, and any
 * acquisition, or two renewals in a row, whose round trip took more than half a renewal interval (a slow link
 * that would keep winning the lease without being able to lead). While its round trips are that
 * slow, this process does not campaign: each campaign first measures one (`SELECT 1`) and stands
 * by, with a warning, until it is fast again.
 */
export class PostgresLease implements Leadership {
  private readonly listeners = new Set<(isLeader: boolean, reason?: string) => void>();
  private readonly state = {
    /** The token of the current term, while this process holds the lease. */
    token: undefined as string | undefined,
    /** Monotonic ms until which the lease is surely still ours. */
    validUntil: 0,
    campaign: undefined as NodeJS.Timeout | undefined,
    expiry: undefined as NodeJS.Timeout | undefined,
    busy: false,
    /** Between stop() and the next start(): an acquisition still in flight is given back. */
    stopped: false,
    /** The app's clock (given at start), compared with the database's at start and at each takeover. */
    clock: { now: () => Date.now() } as Clock,
  };
  readonly renewInterval: number;
  /** Round trips to the database: one longer than half a renewal interval makes this process give the lease back. */
  readonly roundTrips: RoundTrips;
  /** Kept off the end of a term: the database and this process may count time at slightly different rates. */
  readonly margin: number;

  constructor(
    private readonly node: PostgresNode,
    readonly ttl: number,
  ) {
    this.renewInterval = Math.max(1, Math.floor(ttl / 3));
    this.margin = Math.max(1, Math.floor(ttl / 10));
    this.roundTrips = new RoundTrips('the database', ttl, this.renewInterval, node.warnings);
  }

  /** The last operation on the database that failed (this node's: lease, heartbeat, log), if any. */
  get lastStoreError(): StoreFailure | undefined {
    return this.node.warnings.lastFailure;
  }

  get isLeader(): boolean {
    return this.state.token !== undefined && performance.now() < this.state.validUntil;
  }

  /** The fencing token of the current term, while this process leads. */
  get token(): string | undefined {
    return this.isLeader ? this.state.token : undefined;
  }

  onChange(listener: (isLeader: boolean, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  start(clock?: Clock): Promise<void> {
    this.state.stopped = false;
    if (clock !== undefined) this.state.clock = clock;
    void this.checkClock('start');
    this.node.startHeartbeat();
    if (this.state.campaign === undefined) {
      this.state.campaign = setInterval(() => void this.tick(), this.renewInterval);
      this.state.campaign.unref();
    }
    return this.tick();
  }

  async stop(): Promise<void> {
    this.state.stopped = true;
    clearInterval(this.state.campaign);
    this.state.campaign = undefined;
    await this.lose('the app shut down');
    await this.node.stopHeartbeat();
  }

  /**
   * Ends this term here (the fence saw another holder, the database failed it, it ran out or came
   * too late to use) and gives the lease back under its token, so a standby takes over without
   * waiting for the TTL; a later campaign may win again.
   */
  lose(reason: string): Promise<void> {
    const token = this.state.token;
    if (token === undefined) return Promise.resolve();
    this.state.token = undefined;
    this.state.validUntil = 0;
    clearTimeout(this.state.expiry);
    for (const listener of [...this.listeners]) listener(false, reason);
    return this.giveBack(token);
  }

  /** Deletes the lease row if it still holds `token` (another holder's is left alone). */
  private async giveBack(token: string): Promise<void> {
    try {
      await this.node.query(`DELETE FROM ${this.node.s}.leases WHERE app = $1 AND token = $2`, [
        this.node.name,
        token,
      ]);
    } catch (error) {
      this.node.warnings.failed(
        'give the leader lease back',
        error,
        `It lapses by itself within ${String(this.ttl)} ms; a standby takes over then.`,
      );
    }
  }

  /** One campaign step: renew the term held, or try to take the lease. */
  private async tick(): Promise<void> {
    if (this.state.busy || this.state.stopped) return;
    this.state.busy = true;
    const leading = this.state.token !== undefined;
    try {
      if (this.state.token !== undefined) await this.renew(this.state.token);
      else if (!this.roundTrips.slow || (await this.roundTrips.fastAgain(() => this.node.query('SELECT 1'))))
        await this.tryToLead();
    } catch (error) {
      // The term runs out on its own unless a later renewal succeeds; the next tick tries again.
      this.node.warnings.failed(
        leading ? 'renew the leader lease' : 'campaign for the leader lease',
        error,
        leading
          ? 'This process leads until its term runs out, unless a later renewal succeeds.'
          : `This process stands by; it tries again every ${String(this.renewInterval)} ms.`,
      );
    } finally {
      this.state.busy = false;
    }
  }

  private async tryToLead(): Promise<void> {
    const token = randomBytes(12).toString('base64url');
    const sentAt = performance.now();
    const rows = await this.node.query(
      `INSERT INTO ${this.node.s}.leases AS l (app, token, holder, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (app) DO UPDATE SET token = excluded.token, holder = excluded.holder, expires_at = excluded.expires_at
       WHERE l.expires_at <= now()
       RETURNING 1`,
      [this.node.name, token, this.node.processId, this.ttl],
    );
    if (rows.length === 0) return;
    if (this.roundTrips.measure(sentAt) || this.state.stopped) {
      await this.giveBack(token);
      return;
    }
    this.state.token = token;
    this.secured(sentAt);
    if (this.isLeader) {
      for (const listener of [...this.listeners]) listener(true);
      void this.checkClock('takeover');
    } else void this.lose('the lease was acquired too late to use');
  }

  /** Warns when this process's clock and the database's (`now()`) differ by more than a second. */
  private async checkClock(moment: string): Promise<void> {
    const readTime = async (): Promise<number> => {
      const [row] = await this.node.query<{ ms: number }>(
        'SELECT extract(epoch FROM now())::float8 * 1000 AS ms',
      );
      return Number(row?.ms);
    };
    await checkClockSkew(this.node.warnings, this.state.clock, readTime, moment, 'the database');
  }

  private async renew(token: string): Promise<void> {
    const sentAt = performance.now();
    const rows = await this.node.query(
      `UPDATE ${this.node.s}.leases SET expires_at = now() + $3 * interval '1 millisecond'
       WHERE app = $1 AND token = $2 AND expires_at > now() RETURNING 1`,
      [this.node.name, token, this.ttl],
    );
    if (this.state.token !== token) return;
    this.roundTrips.measure(sentAt);
    if (rows.length === 0) void this.lose('another process holds the lease');
    else if (this.roundTrips.slowTwice) void this.lose(this.roundTrips.describe());
    else this.secured(sentAt);
  }

  /** The term is ours until `sentAt` + TTL − margin; wakes then, unless renewed meanwhile. */
  private secured(sentAt: number): void {
    this.state.validUntil = sentAt + this.ttl - this.margin;
    clearTimeout(this.state.expiry);
    const left = this.state.validUntil - performance.now();
    this.state.expiry = setTimeout(
      () => {
        if (this.state.token !== undefined && performance.now() >= this.state.validUntil)
          void this.lose(`the lease could not be renewed within ${String(this.ttl)} ms`);
      },
      Math.max(0, left) + 1,
    );
    this.state.expiry.unref();
  }
}
