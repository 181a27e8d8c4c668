import { Mutex } from 'redis-semaphore';

/**
 * redis-semaphore's `Mutex`, telling when each successful acquisition or renewal was *sent*, on
 * the monotonic clock. Redis counts the TTL from when it
 * receives the command, which is after it was sent: a lease held until "sent + TTL" (minus a
 * margin for clock rates) ends here before it can end in Redis, so this process stops before
 * another one can take over.
 */
export class TimedMutex extends Mutex {
  /** Called with the send time of each acquisition or renewal that succeeded. */
  onSecured: (sentAt: number) => void = () => undefined;
  /** Called with the error of a renewal that failed (Redis unreachable, out of memory...). */
  onRenewalFailed: (error: unknown) => void = () => undefined;
  /**
   * One attempt to take the lease under `token`, in place of the library's own `SET NX` (the
   * lease's campaign also checks the store's epoch in the same script); unset: the library's.
   */
  campaign: ((token: string) => Promise<boolean>) | undefined;

  protected override async _acquire(abortSignal?: AbortSignal): Promise<boolean> {
    const sentAt = performance.now();
    const acquired =
      this.campaign === undefined ? await super._acquire(abortSignal) : await this.campaign(this.identifier);
    if (acquired) this.onSecured(sentAt);
    return acquired;
  }

  protected override async _refresh(): Promise<boolean> {
    const sentAt = performance.now();
    try {
      const refreshed = await super._refresh();
      if (refreshed) this.onSecured(sentAt);
      return refreshed;
    } catch (error) {
      // The library would reject from a timer, unhandled. Reported instead, and answered "still
      // held": the term is not extended (onSecured was not called), so it ends on time here
      // unless a later renewal succeeds; "lost" would end it at once on a single dropped packet.
      this.onRenewalFailed(error);
      return true;
    }
  }
}
