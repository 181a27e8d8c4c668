import type { Clock, Leadership, StoreFailure } from '@apogee/core';
import { checkClockSkew, RoundTrips } from '@apogee/core/internal';
import { checkPersistence } from './checkPersistence';
import type { RedisNode } from './RedisNode';
import { TimedMutex } from './TimedMutex';

/**
 * The leader lease: a redis-semaphore `Mutex` on the app's lease key, tried by every replica once
 * per renewal interval (a third of the TTL) and renewed by its holder at that interval. Each
 * acquisition has a fresh random identifier, the fencing token the start fence checks.
 *
 * The lease is valid here until the last successful renewal's send time plus the TTL minus a
 * margin, on the monotonic clock, whatever the timers do: `isLeader` turns false by itself at that
 * instant, even in a process that was paused (SIGSTOP) and has not run a timer since. A standby
 * takes over at most one TTL and one renewal interval after the last renewal.
 *
 * A lease this process cannot use is given back at once under its token (a `DEL` only if it still
 * holds it), so that a standby takes over without waiting for the TTL: a term that ran out here
 * before a renewal came back, an acquisition whose round trip took more than half a renewal
 * interval, and two renewals in a row that slow (a slow link that would keep winning the lease in Redis without being able
 * to lead). While its round trips are that slow, this process does not campaign: each campaign
 * first measures one (a `PING`) and stands by, with a warning, until it is fast again.
 *
 * Each campaign is one script that also checks the store's epoch (see `StoreEpoch`): a process that
 * finds Redis emptied under it writes its state back before it campaigns, and nobody takes the
 * lease of an emptied store until the running replicas have had a heartbeat TTL to do so.
 */
export class LeaderLease implements Leadership {
  private readonly listeners = new Set<(isLeader: boolean, reason?: string) => void>();
  private readonly state = {
    /** The mutex of the current term, while this process holds the lease. */
    mutex: undefined as TimedMutex | undefined,
    /** Monotonic ms until which the lease is surely still ours. */
    validUntil: 0,
    campaign: undefined as NodeJS.Timeout | undefined,
    expiry: undefined as NodeJS.Timeout | undefined,
    trying: false,
    /** Between stop() and the next start(): an acquisition still in flight is given back. */
    stopped: false,
    /** The app's clock (given at start), compared with Redis's at start and at each takeover. */
    clock: { now: () => Date.now() } as Clock,
  };
  readonly renewInterval: number;
  /** Round trips to Redis: one longer than half a renewal interval makes this process give the lease back. */
  readonly roundTrips: RoundTrips;
  /** Kept off the end of a term: Redis and this process may count time at slightly different rates. */
  readonly margin: number;

  constructor(
    private readonly node: RedisNode,
    readonly ttl: number,
  ) {
    this.renewInterval = Math.max(1, Math.floor(ttl / 3));
    this.margin = Math.max(1, Math.floor(ttl / 10));
    this.roundTrips = new RoundTrips('Redis', ttl, this.renewInterval, node.warnings);
  }

  /** The last operation on Redis that failed (this node's: lease, heartbeat, log), if any. */
  get lastStoreError(): StoreFailure | undefined {
    return this.node.warnings.lastFailure;
  }

  get isLeader(): boolean {
    return this.state.mutex !== undefined && performance.now() < this.state.validUntil;
  }

  /** The fencing token of the current term, while this process leads. */
  get token(): string | undefined {
    return this.isLeader ? this.state.mutex?.identifier : undefined;
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
    void checkPersistence(this.node);
    this.node.startHeartbeat();
    if (this.state.campaign === undefined) {
      this.state.campaign = setInterval(() => void this.tryToLead(), this.renewInterval);
      this.state.campaign.unref();
    }
    return this.tryToLead();
  }

  async stop(): Promise<void> {
    this.state.stopped = true;
    clearInterval(this.state.campaign);
    this.state.campaign = undefined;
    await this.lose('the app shut down');
    await this.node.stopHeartbeat();
  }

  /**
   * Ends this term here (the fence saw another holder, Redis failed it, it ran out or came too
   * late to use) and gives the lease back under its token, so a standby takes over without
   * waiting for the TTL; a later campaign may win again.
   */
  lose(reason: string): Promise<void> {
    const mutex = this.state.mutex;
    if (mutex === undefined) return Promise.resolve();
    this.state.mutex = undefined;
    this.state.validUntil = 0;
    clearTimeout(this.state.expiry);
    mutex.stopRefresh();
    for (const listener of [...this.listeners]) listener(false, reason);
    return this.giveBack(mutex);
  }

  /** Deletes the lease key if it still holds `mutex`'s token (another holder's is left alone). */
  private async giveBack(mutex: TimedMutex): Promise<void> {
    try {
      await mutex.release();
    } catch (error) {
      this.node.warnings.failed(
        'give the leader lease back',
        error,
        `It lapses by itself within ${String(this.ttl)} ms; a standby takes over then.`,
      );
    }
  }

  private async tryToLead(): Promise<void> {
    if (this.state.mutex !== undefined || this.state.trying || this.state.stopped) return;
    this.state.trying = true;
    try {
      if (this.roundTrips.slow && !(await this.roundTrips.fastAgain(() => this.node.client.ping()))) return;
      const mutex = this.newMutex();
      if (!(await mutex.tryAcquire())) return;
      if (this.state.stopped) await mutex.release();
      else if (this.roundTrips.slow) await this.giveBack(mutex);
      else this.begin(mutex);
    } catch (error) {
      this.node.warnings.failed(
        'campaign for the leader lease',
        error,
        `This process stands by; it tries again every ${String(this.renewInterval)} ms.`,
      );
    } finally {
      this.state.trying = false;
    }
  }

  private newMutex(): TimedMutex {
    const mutex = new TimedMutex(this.node.client, this.node.keys.leaseName, {
      lockTimeout: this.ttl,
      acquireAttemptsLimit: 1,
      refreshInterval: this.renewInterval,
      onLockLost: () => {
        if (this.state.mutex === mutex) void this.lose('another process holds the lease');
      },
    });
    mutex.campaign = (token) => this.node.epoch.campaign(this.node.keys.lease, token, this.ttl);
    mutex.onSecured = (sentAt) => {
      this.secured(mutex, sentAt);
    };
    mutex.onRenewalFailed = (error) => {
      this.node.warnings.failed(
        'renew the leader lease',
        error,
        'This process leads until its term runs out, unless a later renewal succeeds.',
      );
    };
    return mutex;
  }

  /** A term just won: it leads, unless the term ran out on the way back. */
  private begin(mutex: TimedMutex): void {
    this.state.mutex = mutex;
    this.armExpiry();
    if (this.isLeader) {
      for (const listener of [...this.listeners]) listener(true);
      void this.checkClock('takeover');
    } else void this.lose('the lease was acquired too late to use');
  }

  /** Warns when this process's clock and Redis's (`TIME`) differ by more than a second. */
  private async checkClock(moment: string): Promise<void> {
    const readTime = async (): Promise<number> => {
      const [seconds, micros] = await this.node.client.time();
      return Number(seconds) * 1000 + Number(micros) / 1000;
    };
    await checkClockSkew(this.node.warnings, this.state.clock, readTime, moment, 'Redis');
  }

  private secured(mutex: TimedMutex, sentAt: number): void {
    this.roundTrips.measure(sentAt);
    this.state.validUntil = sentAt + this.ttl - this.margin;
    if (this.state.mutex !== mutex) return;
    if (this.roundTrips.slowTwice) void this.lose(this.roundTrips.describe());
    else this.armExpiry();
  }

  /** Wakes at the end of the valid term: unless renewed meanwhile, the term is over. */
  private armExpiry(): void {
    clearTimeout(this.state.expiry);
    const left = this.state.validUntil - performance.now();
    this.state.expiry = setTimeout(
      () => {
        if (this.state.mutex !== undefined && performance.now() >= this.state.validUntil)
          void this.lose(`the lease could not be renewed within ${String(this.ttl)} ms`);
      },
      Math.max(0, left) + 1,
    );
    this.state.expiry.unref();
  }
}
