interface Entry<T> {
  readonly at: number;
  readonly item: T;
}

/**
 * A min-heap of "wake this item at instant t", with at most one live entry per item: setting a
 * new time supersedes the old one. Superseded heap entries are recognised because they are no
 * longer the item's live entry, and skipped when they reach the top.
 */
export class WakeQueue<T> {
  private heap: Entry<T>[] = [];
  private readonly live = new Map<T, Entry<T>>();

  /** Wake `item` at `at` (replacing any earlier request); `Infinity` cancels. */
  set(item: T, at: number): void {
    const current = this.live.get(item);
    if (current?.at === at) return;
    if (!Number.isFinite(at)) {
      this.live.delete(item);
      return;
    }
    const entry = { at, item };
    this.live.set(item, entry);
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    // Superseded entries pile up when items are rescheduled often; rebuild when they dominate.
    if (this.heap.length > 64 && this.heap.length > 4 * this.live.size) this.rebuild();
  }

  /** The earliest pending instant, or `Infinity`. */
  peek(): number {
    this.dropStale();
    return this.heap[0]?.at ?? Infinity;
  }

  /** Removes and returns every item due at or before `now`. */
  popDue(now: number): T[] {
    const out: T[] = [];
    while (this.peek() <= now && this.heap.length > 0) {
      const top = this.pop();
      this.live.delete(top.item);
      out.push(top.item);
    }
    return out;
  }

  clear(): void {
    this.heap = [];
    this.live.clear();
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0] as Entry<T>;
      if (this.live.get(top.item) === top) return;
      this.pop();
    }
  }

  private rebuild(): void {
    this.heap = this.heap.filter((e) => this.live.get(e.item) === e);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private pop(): Entry<T> {
    const top = this.heap[0] as Entry<T>;
    const last = this.heap.pop() as Entry<T>;
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
      if ((h[parent] as Entry<T>).at <= (h[i] as Entry<T>).at) return;
      const swap = h[parent] as Entry<T>;
      h[parent] = h[i] as Entry<T>;
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
      if (l < h.length && (h[l] as Entry<T>).at < (h[m] as Entry<T>).at) m = l;
      if (r < h.length && (h[r] as Entry<T>).at < (h[m] as Entry<T>).at) m = r;
      if (m === i) return;
      const swap = h[m] as Entry<T>;
      h[m] = h[i] as Entry<T>;
      h[i] = swap;
      i = m;
    }
  }
}
