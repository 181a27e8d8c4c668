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
  /** Records kept per task (a run leaves two: its start and its end). */
  readonly perTask: number;
  // Per task, a ring buffer; a global counter keeps `records()` in write order across tasks.
  private readonly byTask = new Map<string, { items: { seq: number; record: RunRecord }[]; head: number }>();
  private seq = 0;
  private readonly disabled = new Map<string, boolean>();

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

  /** Keeps a task's pause state for the log's lifetime (an app started again on this log reads it). */
  setDisabled(taskName: string, disabled: boolean): void {
    this.disabled.set(taskName, disabled);
  }

  /** The pause states {@link MemoryRunLog.setDisabled} kept. */
  disabledTasks(): ReadonlyMap<string, boolean> {
    return new Map(this.disabled);
  }

  /** Stored records, oldest first; see {@link RunQuery} for filters and pages. */
  records(query: RunQuery = {}): Promise<RunRecord[]> {
    const problem = pageProblem(query);
    if (problem !== undefined) return Promise.reject(new RangeError(`MemoryRunLog: ${problem}.`));
    const limit = query.limit ?? Infinity;
    const offset = query.offset ?? 0;
    if (query.taskName !== undefined && query.action === undefined) {
      // One task, every action: the page is a stretch of its ring, read without walking the skipped part.
      const ring = this.byTask.get(query.taskName);
      if (ring === undefined) return Promise.resolve([]);
      const n = ring.items.length;
      const end = Math.max(0, n - offset);
      const page: RunRecord[] = [];
      for (let k = Math.max(0, end - limit); k < end; k++)
        page.push((ring.items[(ring.head + k) % n] as { record: RunRecord }).record);
      return Promise.resolve(page);
    }
    const rings =
      query.taskName === undefined
        ? [...this.byTask.values()]
        : [this.byTask.get(query.taskName)].filter((r) => r !== undefined);
    // No ring can contribute more than the page needs, so each is walked back from its newest
    // entry only that far: a page of the latest history costs its size times the tasks, not the log.
    const wanted = offset + limit;
    const candidates: { seq: number; record: RunRecord }[] = [];
    for (const ring of rings) {
      let found = 0;
      for (let k = ring.items.length - 1; k >= 0 && found < wanted; k--) {
        const entry = ring.items[(ring.head + k) % ring.items.length] as { seq: number; record: RunRecord };
        if (query.action !== undefined && entry.record.action !== query.action) continue;
        candidates.push(entry);
        found++;
      }
    }
    candidates.sort((a, b) => a.seq - b.seq);
    const end = Math.max(0, candidates.length - offset);
    const start = Math.max(0, end - limit);
    return Promise.resolve(candidates.slice(start, end).map((e) => e.record));
  }
}

/** What is wrong with a query's page, if anything. */
function pageProblem(query: RunQuery): string | undefined {
  for (const key of ['limit', 'offset'] as const) {
    const value = query[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      return `records({ ${key} }) must be a whole number of at least 0, got ${String(value)}`;
    }
  }
  return undefined;
}
