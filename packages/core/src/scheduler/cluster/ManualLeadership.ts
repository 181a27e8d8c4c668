import type { Leadership } from './Leadership';

/**
 * A {@link Leadership} that is told: call `set(true)` when this process won an election or a
 * lease, `set(false)` when it lost it.
 *
 * @example
 * ```ts
 * const leadership = new ManualLeadership(false);
 * leadership.set(true); // the scheduler starts scheduling
 * ```
 */
export class ManualLeadership implements Leadership {
  private readonly listeners = new Set<(isLeader: boolean, reason?: string) => void>();

  constructor(private leader = true) {}

  /** Whether this app is the leader now: the value last given to `set`, else the constructor's (default `true`). */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Changes leadership (with why, on a loss); listeners hear of a change only. */
  set(isLeader: boolean, reason?: string): void {
    if (isLeader === this.leader) return;
    this.leader = isLeader;
    for (const listener of [...this.listeners]) listener(isLeader, reason);
  }

  /** Calls `listener` on each change made with `set`; returns what stops that. */
  onChange(listener: (isLeader: boolean, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
