/**
 * A min-heap of "wake this item at instant t", with at most one live entry per item: setting a
 * new time supersedes the old one (stale heap entries are skipped when popped).
 */
export class WakeQueue<T> {
  private heap: { at: number; item: T; version: number }[] = [];
  private readonly versions = new Map<T, number>();
  private readonly due = new Map<T, number>();

  /** Wake `item` at `at` (replacing any earlier request); `Infinity` cancels. */
  set(item: T, at: number): void {
    const version = (this.versions.get(item) ?? 0) + 1;
    this.versions.set(item, version);
    if (!Number.isFinite(at)) {
      this.due.delete(item);
      return;
    }
    this.due.set(item, at);
    this.heap.push({ at, item, version });
    this.up(this.heap.length - 1);
    // Superseded entries pile up when items are rescheduled often; rebuild when they dominate.
    if (this.heap.length > 64 && this.heap.length > 4 * this.due.size) this.rebuild();
  }

  /** The earliest pending instant, or `Infinity`. */
  peek(): number {
    this.dropStale();
    return this.heap[0]?.at ?? Infinity;
  }

  /** Removes and returns every item due at or before `now`. */
  popDue(now: number): T[] {
    const out: T[] = [];
    while (this.peek() <= now) {
      const top = this.pop();
      this.due.delete(top.item);
      out.push(top.item);
    }
    return out;
  }

  /** The instant `item` is due, if any. */
  dueAt(item: T): number | undefined {
    return this.due.get(item);
  }

  clear(): void {
    this.heap = [];
    this.versions.clear();
    this.due.clear();
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0] as { item: T; version: number };
      if (this.versions.get(top.item) === top.version) return;
      this.pop();
    }
  }

  private rebuild(): void {
    this.heap = this.heap.filter((e) => this.versions.get(e.item) === e.version);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private pop(): { at: number; item: T; version: number } {
    const top = this.heap[0] as { at: number; item: T; version: number };
    const last = this.heap.pop() as { at: number; item: T; version: number };
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((h[parent]?.at ?? 0) <= (h[i]?.at ?? 0)) return;
      const swap = h[parent] as (typeof h)[number];
      h[parent] = h[i] as (typeof h)[number];
      h[i] = swap;
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && (h[l]?.at ?? 0) < (h[m]?.at ?? 0)) m = l;
      if (r < h.length && (h[r]?.at ?? 0) < (h[m]?.at ?? 0)) m = r;
      if (m === i) return;
      const swap = h[m] as (typeof h)[number];
      h[m] = h[i] as (typeof h)[number];
      h[i] = swap;
      i = m;
    }
  }
}
