/**
 * Section 13's floor (scenario `bareHeap`): a plain Node process that holds a heap of about the
 * size and object count a million of Apogee's tasks hold, and does nothing. Its idle CPU is what
 * V8 and libuv cost for such a heap alone; Apogee's idle figure in section 13 is read against it.
 */
import { heapMb, idleWindow } from './quiesce';

interface Tools {
  readonly n: number;
  readonly seconds: number;
  readonly gc: () => void;
  readonly sleep: (ms: number) => Promise<unknown>;
}

/** One held entry: a name, a record with a nested record and a small array, as a task has. */
interface Held {
  readonly name: string;
  readonly index: number;
  readonly options: { readonly start: string; readonly hour: number; readonly priority: number };
  readonly list: readonly number[];
  state: number | undefined;
}

/** Heap and idle CPU of a process holding `n` plain entries in a Map and an array. */
export async function bareHeap({ n, seconds, gc, sleep }: Tools): Promise<object> {
  const before = heapMb(gc);
  const byName = new Map<string, Held>();
  const all: Held[] = [];
  for (let i = 0; i < n; i++) {
    const held: Held = {
      name: `t${String(i)}`,
      index: i,
      options: { start: `daily ${String(i % 24)}`, hour: i % 24, priority: 0 },
      list: [i, i + 1],
      state: undefined,
    };
    byName.set(held.name, held);
    all.push(held);
  }
  const heap = heapMb(gc) - before;
  const idle = await idleWindow(gc, sleep, seconds);
  // Read after the window, so that nothing above is collected early.
  return { heapMb: heap, entries: byName.size + all.length, ...idle };
}
