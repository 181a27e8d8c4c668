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
  private readonly listeners = new Set<(isLeader: boolean) => void>();

  constructor(private leader = true) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** Changes leadership; listeners hear of a change only. */
  set(isLeader: boolean): void {
    if (isLeader === this.leader) return;
    this.leader = isLeader;
    for (const listener of [...this.listeners]) listener(isLeader);
  }

  onChange(listener: (isLeader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
