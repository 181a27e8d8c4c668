import type { OutputLine } from './OutputLine';
import type { RunLog } from './RunLog';
import type { RunCursor } from './RunCursor';
import type { RunQuery, RunRecord } from './RunRecord';

interface Entry {
  readonly seq: number;
  readonly record: RunRecord;
}

/** One task's last records: `items` is a ring whose oldest entry is at `head`. */
interface Ring {
  items: Entry[];
  head: number;
}

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
  private readonly byTask = new Map<string, Ring>();
  // Where each kept record is, for `before` cursors: the last `run` record and the last end record
  // of each run id, keyed by the run id itself (a string the record already holds) rather than by
  // a key built per record. A cursor they do not answer is looked for in the rings. Built on the
  // first cursor query and kept from then on: most apps never page by cursor, and two map writes
  // and a delete per record were a tenth of a no-op run's cost.
  private cursorIndex: { starts: Map<string, Entry>; ends: Map<string, Entry> } | undefined;
  private seq = 0;
  private readonly disabled = new Map<string, boolean>();
  // Each run's output, until its end record leaves the ring.
  private readonly outputs = new Map<string, OutputLine[]>();

  constructor(options: MemoryRunLogOptions = {}) {
    this.perTask = options.perTask ?? 1000;
    if (!Number.isInteger(this.perTask) || this.perTask < 1) {
      throw new RangeError(
        `MemoryRunLog: perTask must be a whole number of at least 1, got ${String(options.perTask)}.`,
      );
    }
  }

  /** Stores one record, dropping the task's oldest once it holds `perTask` of them (and a dropped run's output with its end record). */
  append(record: RunRecord): void {
    let ring = this.byTask.get(record.taskName);
    if (ring === undefined) {
      ring = { items: [], head: 0 };
      this.byTask.set(record.taskName, ring);
    }
    const entry = { seq: this.seq++, record };
    const index = this.cursorIndex;
    if (index !== undefined) positionsIn(index, record).set(record.runId, entry);
    if (ring.items.length < this.perTask) ring.items.push(entry);
    else {
      const dropped = ring.items[ring.head] as Entry;
      if (index !== undefined) {
        const positions = positionsIn(index, dropped.record);
        if (positions.get(dropped.record.runId) === dropped) positions.delete(dropped.record.runId);
      }
      // The end record goes after the start: the run's output goes with the last of its records.
      if (dropped.record.action !== 'run') this.outputs.delete(dropped.record.runId);
      ring.items[ring.head] = entry;
      ring.head = (ring.head + 1) % this.perTask;
    }
  }

  /** Keeps the lines with their run, after any kept before, until the run's end record is dropped. */
  appendOutput(runId: string, _taskName: string, lines: readonly OutputLine[]): void {
    const kept = this.outputs.get(runId);
    if (kept === undefined) this.outputs.set(runId, [...lines]);
    else kept.push(...lines);
  }

  /** The output {@link MemoryRunLog.appendOutput} kept for `runId`, oldest first. */
  output(runId: string): Promise<OutputLine[]> {
    return Promise.resolve([...(this.outputs.get(runId) ?? [])]);
  }

  /** Keeps a task's pause state for the log's lifetime (an app started again on this log reads it). */
  setDisabled(taskName: string, disabled: boolean): void {
    this.disabled.set(taskName, disabled);
  }

  /** The pause states {@link MemoryRunLog.setDisabled} kept. */
  disabledTasks(): ReadonlyMap<string, boolean> {
    return new Map(this.disabled);
  }

  /** The cursor index, built from the rings when first needed. */
  private indexed(): { starts: Map<string, Entry>; ends: Map<string, Entry> } {
    if (this.cursorIndex !== undefined) return this.cursorIndex;
    const index = { starts: new Map<string, Entry>(), ends: new Map<string, Entry>() };
    for (const ring of this.byTask.values()) {
      for (let k = 0; k < ring.items.length; k++) {
        const entry = at(ring, k);
        const positions = positionsIn(index, entry.record);
        const kept = positions.get(entry.record.runId);
        if (kept === undefined || kept.seq < entry.seq) positions.set(entry.record.runId, entry);
      }
    }
    this.cursorIndex = index;
    return index;
  }

  /** The seq of the newest kept record `cursor` names; `undefined` when none is kept. */
  private positionOf(cursor: RunCursor): number | undefined {
    const entry = positionsIn(this.indexed(), cursor).get(cursor.runId);
    if (entry === undefined || entry.record.action === cursor.action) return entry?.seq;
    // A run with two different end records (a store written by hand): the one asked for is
    // older than the one indexed, and looked for in the rings.
    let found: number | undefined;
    for (const ring of this.byTask.values())
      for (const e of ring.items)
        if (e.record.runId === cursor.runId && e.record.action === cursor.action)
          found = Math.max(found ?? -1, e.seq);
    return found;
  }

  /** Stored records, oldest first; see {@link RunQuery} for filters, pages and cursors. */
  records(query: RunQuery = {}): Promise<RunRecord[]> {
    const problem = pageProblem(query);
    if (problem !== undefined) return Promise.reject(new RangeError(`MemoryRunLog: ${problem}.`));
    const below = query.before === undefined ? Infinity : this.positionOf(query.before);
    if (below === undefined) return Promise.resolve([]);
    const limit = query.limit ?? Infinity;
    const offset = query.offset ?? 0;
    if (query.taskName !== undefined && query.action === undefined) {
      // One task, every action: the page is a stretch of its ring, read without walking the skipped part.
      const ring = this.byTask.get(query.taskName);
      if (ring === undefined) return Promise.resolve([]);
      const end = Math.max(0, countBelow(ring, below) - offset);
      const page: RunRecord[] = [];
      for (let k = Math.max(0, end - limit); k < end; k++) page.push(at(ring, k).record);
      return Promise.resolve(page);
    }
    const rings =
      query.taskName === undefined
        ? [...this.byTask.values()]
        : [this.byTask.get(query.taskName)].filter((r) => r !== undefined);
    // No ring can contribute more than the page needs, so each is walked back from its newest
    // entry (below the cursor) only that far: a page costs its size times the tasks, not the log.
    const wanted = offset + limit;
    const candidates: Entry[] = [];
    for (const ring of rings) {
      let found = 0;
      for (let k = countBelow(ring, below) - 1; k >= 0 && found < wanted; k--) {
        const entry = at(ring, k);
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

/** Where the index keeps records with `cursor`'s action: `run` records or end records. */
function positionsIn(
  index: { starts: Map<string, Entry>; ends: Map<string, Entry> },
  cursor: RunCursor,
): Map<string, Entry> {
  return cursor.action === 'run' ? index.starts : index.ends;
}

/** The `k`th oldest entry of a ring. */
function at(ring: Ring, k: number): Entry {
  return ring.items[(ring.head + k) % ring.items.length] as Entry;
}

/** How many of a ring's entries were written before `seq` (a binary search: the ring is in write order). */
function countBelow(ring: Ring, seq: number): number {
  let lo = 0;
  let hi = ring.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(ring, mid).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
