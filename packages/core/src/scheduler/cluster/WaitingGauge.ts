import type { Leadership } from './Leadership';
import type { RequestRelay } from './RequestRelay';
import type { ScheduledTask } from '../task/ScheduledTask';

/**
 * What the leader last told the store of each task's waiting runs, so that replicas that do not
 * lead can refuse `task.run()` beyond `maxBatches` (see {@link RequestRelay.publishWaiting}).
 * Changes are coalesced: one write per changed task per turn of the event loop's microtasks (a
 * scheduler pass queues and starts its runs in one such stretch), only for tasks whose count
 * differs from what was told. A task that never has a waiting run costs nothing.
 */
export class WaitingGauge {
  private readonly changed = new Set<ScheduledTask>();
  /** Task name -> count the store holds (absent: 0). */
  private readonly told = new Map<string, number>();

  constructor(
    private readonly relay: RequestRelay | undefined,
    private readonly leadership: Leadership,
  ) {}

  /** `task`'s queue grew or shrank. */
  changedIn(task: ScheduledTask): void {
    if (this.relay?.publishWaiting === undefined || !this.leadership.isLeader) return;
    this.changed.add(task);
    if (this.changed.size === 1) void Promise.resolve().then(this.flush);
  }

  /** The relay stores `task`'s count along with a request it carried out: the count to store. */
  stored(task: ScheduledTask): number {
    const count = task.batchCount;
    this.tell(task.name, count);
    return count;
  }

  /** Every task's waiting runs, now the store's whole view (a takeover rewrites it). */
  snapshot(tasks: readonly ScheduledTask[]): ReadonlyMap<string, number> {
    this.told.clear();
    this.changed.clear();
    for (const task of tasks) if (task.batchCount > 0) this.told.set(task.name, task.batchCount);
    return new Map(this.told);
  }

  private readonly flush = (): void => {
    const changes = new Map<string, number>();
    for (const task of this.changed) {
      const count = task.batchCount;
      if (count === (this.told.get(task.name) ?? 0)) continue;
      changes.set(task.name, count);
      this.tell(task.name, count);
    }
    this.changed.clear();
    if (changes.size > 0 && this.leadership.isLeader) this.relay?.publishWaiting?.(changes);
  };

  private tell(name: string, count: number): void {
    if (count === 0) this.told.delete(name);
    else this.told.set(name, count);
  }
}
