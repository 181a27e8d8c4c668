/** First in, first out, with O(1) take from the front (a head index instead of `Array.shift`). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * Items waiting their turn: higher priority first, then in arrival order. One FIFO per
 * priority value (a scheduler has few), so adding and taking stay O(1) however long the
 * queue gets. Items are never removed from the middle: a taker skips the ones `isStale` says
 * are no longer waiting.
 */
export class TurnQueue<T> {
  private readonly byPriority = new Map<number, Fifo<T>>();
  /** Priorities present, highest first. */
  private priorities: number[] = [];

  constructor(private readonly isStale: (item: T) => boolean) {}

  push(item: T, priority: number): void {
    let fifo = this.byPriority.get(priority);
    if (fifo === undefined) {
      fifo = new Fifo();
      this.byPriority.set(priority, fifo);
      this.priorities = [...this.priorities, priority].sort((a, b) => b - a);
    }
    fifo.push(item);
  }

  /** The next item still waiting, or `undefined`. */
  shift(): T | undefined {
    for (const priority of this.priorities) {
      const fifo = this.byPriority.get(priority) as Fifo<T>;
      for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) {
        if (!this.isStale(item)) return item;
      }
    }
    return undefined;
  }

  /** Takes every item still waiting, in turn order. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }
}
