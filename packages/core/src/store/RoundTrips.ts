import type { StoreWarnings } from './StoreWarnings';

/**
 * The round trips of a lease's link to its store, and when they are too slow to lead with: more
 * than half a renewal interval. A process whose link is that slow keeps winning the lease
 * without being able to use it (its term runs out before a renewal comes back, or its restore
 * outlasts the term), so it gives the lease back (after two slow renewals in a row: one is a
 * pause of a busy machine) and does not campaign until a round trip measured again is fast.
 */
export class RoundTrips {
  /** The last round trip measured, ms. */
  private last = 0;
  /** Slow round trips in a row, up to the last one. */
  private streak = 0;
  /** Longer than this is slow: half a renewal interval. */
  readonly limit: number;

  constructor(
    /** The store, as messages name it: `Redis`, `the database`. */
    private readonly store: string,
    private readonly ttl: number,
    renewInterval: number,
    private readonly warnings: StoreWarnings,
  ) {
    this.limit = Math.max(1, Math.floor(renewInterval / 2));
  }

  /** Whether the last round trip was too slow to lead with. */
  get slow(): boolean {
    return this.last > this.limit;
  }

  /** Records the round trip of an operation sent at `sentAt` (`performance.now()`); whether it was slow. */
  measure(sentAt: number): boolean {
    this.last = performance.now() - sentAt;
    this.streak = this.slow ? this.streak + 1 : 0;
    return this.slow;
  }

  /** Whether the last two round trips were both slow: a held lease is given back then. */
  get slowTwice(): boolean {
    return this.streak >= 2;
  }

  /** After a slow one, measures one again with `probe`; warns and answers false while still slow. */
  async fastAgain(probe: () => Promise<unknown>): Promise<boolean> {
    const sentAt = performance.now();
    await probe();
    if (!this.measure(sentAt)) return true;
    this.warnings.notice(
      'slow round trips',
      `this process does not campaign for the leader lease: ${this.describe()}. It stands by ` +
        `until its link is fast again; check the network between it and ${this.store}.`,
      'APOGEE_STORE_SLOW',
    );
    return false;
  }

  /** `a round trip to Redis took 1200 ms, more than half a renewal interval (...)`. */
  describe(): string {
    return (
      `a round trip to ${this.store} took ${String(Math.round(this.last))} ms, more than half a ` +
      `renewal interval (${String(this.limit)} ms of a ${String(this.ttl)} ms lease)`
    );
  }
}
