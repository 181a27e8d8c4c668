import type { Leadership } from '@apogee/core';
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
  };
  readonly renewInterval: number;
  /** Kept off the end of a term: Redis and this process may count time at slightly different rates. */
  readonly margin: number;

  constructor(
    private readonly node: RedisNode,
    readonly ttl: number,
  ) {
    this.renewInterval = Math.max(1, Math.floor(ttl / 3));
    this.margin = Math.max(1, Math.floor(ttl / 10));
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

  start(): Promise<void> {
    this.state.stopped = false;
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
    const mutex = this.state.mutex;
    this.lose('the app shut down');
    // Given back at once, so a standby takes over without waiting for the TTL.
    await mutex?.release().catch(() => undefined);
    await this.node.stopHeartbeat();
  }

  /** Ends this term here (the fence saw another holder, or Redis failed it); a later campaign may win again. */
  lose(reason: string): void {
    const mutex = this.state.mutex;
    if (mutex === undefined) return;
    this.state.mutex = undefined;
    this.state.validUntil = 0;
    clearTimeout(this.state.expiry);
    mutex.stopRefresh();
    for (const listener of [...this.listeners]) listener(false, reason);
  }

  private async tryToLead(): Promise<void> {
    if (this.state.mutex !== undefined || this.state.trying || this.state.stopped) return;
    this.state.trying = true;
    const mutex = new TimedMutex(this.node.client, this.node.keys.leaseName, {
      lockTimeout: this.ttl,
      acquireAttemptsLimit: 1,
      refreshInterval: this.renewInterval,
      onLockLost: () => {
        if (this.state.mutex === mutex) this.lose('another process holds the lease');
      },
    });
    mutex.onSecured = (sentAt) => {
      this.secured(mutex, sentAt);
    };
    try {
      if (await mutex.tryAcquire()) {
        if (this.state.stopped) {
          await mutex.release();
          return;
        }
        this.state.mutex = mutex;
        this.armExpiry();
        if (this.isLeader) for (const listener of [...this.listeners]) listener(true);
        else this.lose('the lease was acquired too late to use');
      }
    } catch {
      // Redis unreachable: the next campaign tries again.
    } finally {
      this.state.trying = false;
    }
  }

  private secured(mutex: TimedMutex, sentAt: number): void {
    this.state.validUntil = sentAt + this.ttl - this.margin;
    if (this.state.mutex === mutex) this.armExpiry();
  }

  /** Wakes at the end of the valid term: unless renewed meanwhile, the term is over. */
  private armExpiry(): void {
    clearTimeout(this.state.expiry);
    const left = this.state.validUntil - performance.now();
    this.state.expiry = setTimeout(
      () => {
        if (this.state.mutex !== undefined && performance.now() >= this.state.validUntil)
          this.lose(`the lease could not be renewed within ${String(this.ttl)} ms`);
      },
      Math.max(0, left) + 1,
    );
    this.state.expiry.unref();
  }
}
