import type { RunLog } from './RunLog';
import type { RunQuery, RunRecord } from './RunRecord';

/** Options of {@link MemoryRunLog}. */
export interface MemoryRunLogOptions {
  /** Records kept per task; older ones are dropped. Default 1,000. */
  readonly perTask?: number;
}

/**
 * The default run log: the last `perTask` records of each task, in memory. Bounded, unlike
 * Rocketry's default, so a task running every second does not grow the heap forever.
 *
 * @example
 * ```ts
 * new App({ log: new MemoryRunLog({ perTask: 100 }) });
 * ```
 */
export class MemoryRunLog implements RunLog {
  private readonly perTask: number;
  // Per task, a ring buffer; a global counter keeps `records()` in write order across tasks.
  private readonly byTask = new Map<string, { items: { seq: number; record: RunRecord }[]; head: number }>();
  private seq = 0;

  constructor(options: MemoryRunLogOptions = {}) {
    this.perTask = options.perTask ?? 1000;
    if (!Number.isInteger(this.perTask) || this.perTask < 1) {
      throw new RangeError(
        `MemoryRunLog: perTask must be a whole number of at least 1, got ${String(options.perTask)}.`,
      );
    }
  }

  append(record: RunRecord): void {
    let ring = this.byTask.get(record.taskName);
    if (ring === undefined) {
      ring = { items: [], head: 0 };
      this.byTask.set(record.taskName, ring);
    }
    const entry = { seq: this.seq++, record };
    if (ring.items.length < this.perTask) ring.items.push(entry);
    else {
      ring.items[ring.head] = entry;
      ring.head = (ring.head + 1) % this.perTask;
    }
  }

  records(query: RunQuery = {}): Promise<RunRecord[]> {
    const rings =
      query.taskName === undefined
        ? [...this.byTask.values()]
        : [this.byTask.get(query.taskName)].filter((r) => r !== undefined);
    const entries = rings.flatMap((r) => r.items);
    const wanted =
      query.action === undefined ? entries : entries.filter((e) => e.record.action === query.action);
    return Promise.resolve(wanted.sort((a, b) => a.seq - b.seq).map((e) => e.record));
  }
}
