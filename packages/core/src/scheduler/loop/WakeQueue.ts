/** What {@link WakeQueue.popDue} returns when nothing is due. */
const NOTHING_DUE: readonly never[] = Object.freeze([]);

/**
 * A min-heap of "wake this item at instant t", with at most one live entry per item: setting a
 * new time supersedes the old one. A heap entry is live while its item's live time is its own
 * time; superseded entries are skipped when they reach the top. The heap is two parallel
 * arrays, times (unboxed doubles) and items, rather than an object per entry: with a million
 * tasks each waiting for its next instant, an entry object was 56 bytes of every task.
 */
export class WakeQueue<T> {
  private times: number[] = [];
  private items: T[] = [];
  /**
   * Each item's live time, as an offset from `base` (the first time set): an offset within
   * about 24 days is a small integer held as is, where an epoch time would be a 16-byte heap
   * number per item. Kept in a map unless the queue is given another place (see {@link WakeSlots}).
   */
  private readonly live: WakeSlots<T>;
  /** Items with a live time. */
  private liveCount = 0;
  private base: number | undefined;

  constructor(slots: WakeSlots<T> = new MapSlots<T>()) {
    this.live = slots;
  }

  /** Wake `item` at `at` (replacing any earlier request); `Infinity` cancels. */
  set(item: T, at: number): void {
    const current = this.live.get(item);
    if (!Number.isFinite(at)) {
      if (current === undefined) return;
      this.live.set(item, undefined);
      this.liveCount--;
      return;
    }
    this.base ??= at;
    if (current === at - this.base) return;
    if (current === undefined) this.liveCount++;
    this.live.set(item, at - this.base);
    this.times.push(at);
    this.items.push(item);
    this.up(this.times.length - 1);
    // Superseded entries pile up when items are rescheduled often; rebuild when they dominate.
    if (this.times.length > 64 && this.times.length > 4 * this.liveCount) this.rebuild();
  }

  /** The earliest pending instant, or `Infinity`. */
  peek(): number {
    this.dropStale();
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes and returns every item due at or before `now`. */
  popDue(now: number): readonly T[] {
    // Most passes find nothing due: no array for them.
    if (this.peek() > now) return NOTHING_DUE;
    const out: T[] = [];
    while (this.peek() <= now && this.times.length > 0) {
      const item = this.items[0] as T;
      this.pop();
      // An older entry of the item with the same time is stale from here on.
      this.live.set(item, undefined);
      this.liveCount--;
      out.push(item);
    }
    return out;
  }

  clear(): void {
    for (const item of this.items) this.live.set(item, undefined);
    this.times = [];
    this.items = [];
    this.liveCount = 0;
  }

  private isLive(i: number): boolean {
    return this.live.get(this.items[i] as T) === (this.times[i] as number) - (this.base as number);
  }

  private dropStale(): void {
    while (this.times.length > 0 && !this.isLive(0)) this.pop();
  }

  private rebuild(): void {
    const times: number[] = [];
    const items: T[] = [];
    for (let i = 0; i < this.times.length; i++) {
      if (!this.isLive(i)) continue;
      times.push(this.times[i] as number);
      items.push(this.items[i] as T);
    }
    this.times = times;
    this.items = items;
    for (let i = (times.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Removes the top entry. */
  private pop(): void {
    const lastTime = this.times.pop() as number;
    const lastItem = this.items.pop() as T;
    if (this.times.length > 0) {
      this.times[0] = lastTime;
      this.items[0] = lastItem;
      this.down(0);
    }
  }

  private swap(i: number, j: number): void {
    const { times, items } = this;
    const t = times[i] as number;
    times[i] = times[j] as number;
    times[j] = t;
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
  }

  private up(i: number): void {
    const t = this.times;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((t[parent] as number) <= (t[i] as number)) return;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number): void {
    const t = this.times;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < t.length && (t[l] as number) < (t[m] as number)) m = l;
      if (r < t.length && (t[r] as number) < (t[m] as number)) m = r;
      if (m === i) return;
      this.swap(m, i);
      i = m;
    }
  }
}

/**
 * Where a {@link WakeQueue} keeps each item's live time (an offset, `undefined` for none). A map by
 * default; an item type with a field of its own can keep it there, so that an item woken once and
 * dropped (a run's timeout) adds and deletes no map key.
 */
export interface WakeSlots<T> {
  get(item: T): number | undefined;
  set(item: T, offset: number | undefined): void;
}

/** Live times in a map. */
export class MapSlots<T> implements WakeSlots<T> {
  private readonly map = new Map<T, number>();

  get(item: T): number | undefined {
    return this.map.get(item);
  }

  set(item: T, offset: number | undefined): void {
    if (offset === undefined) this.map.delete(item);
    else this.map.set(item, offset);
  }
}
