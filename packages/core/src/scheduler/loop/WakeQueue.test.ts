import { WakeQueue } from './WakeQueue';

describe('WakeQueue', () => {
  it('pops items due by now, earliest first', () => {
    const q = new WakeQueue<string>();
    q.set('c', 30);
    q.set('a', 10);
    q.set('b', 20);
    expect(q.peek()).toBe(10);
    expect(q.popDue(20)).toEqual(['a', 'b']);
    expect(q.peek()).toBe(30);
  });

  it('keeps one live entry per item: a new time supersedes the old one, Infinity cancels', () => {
    const q = new WakeQueue<string>();
    q.set('a', 10);
    q.set('a', 50);
    q.set('b', 20);
    q.set('b', Infinity);
    expect(q.popDue(40)).toEqual([]);
    expect(q.peek()).toBe(50);
    expect(q.popDue(50)).toEqual(['a']);
    expect(q.peek()).toBe(Infinity);
  });

  it('stays correct when items are rescheduled many times (stale entries are compacted)', () => {
    const q = new WakeQueue<number>();
    for (let round = 0; round < 50; round++) for (let i = 0; i < 20; i++) q.set(i, 1000 - i + round);
    expect(q.popDue(1000 + 49 - 19)).toEqual([19]);
    expect(q.popDue(Infinity)).toHaveLength(19);
  });

  it('wakes an item set back to a time it had before once, though two entries hold that time', () => {
    const q = new WakeQueue<string>();
    q.set('a', 10);
    q.set('a', 70);
    q.set('a', 10);
    q.set('b', 40);
    expect(q.popDue(10)).toEqual(['a']);
    expect(q.peek()).toBe(40);
    expect(q.popDue(Infinity)).toEqual(['b']);
  });
});

describe('WakeQueue with its own slots', () => {
  interface Item {
    readonly name: string;
    wake: number | undefined;
  }
  const onItems = { get: (i: Item) => i.wake, set: (i: Item, at: number | undefined) => void (i.wake = at) };

  it('keeps each live time on the item and leaves none behind once woken or cancelled', () => {
    const q = new WakeQueue<Item>(onItems);
    const [a, b, c] = ['a', 'b', 'c'].map((name): Item => ({ name, wake: undefined })) as [Item, Item, Item];
    q.set(a, 1_000);
    q.set(b, 500);
    q.set(c, 2_000);
    q.set(a, 300); // supersedes 1,000
    q.set(c, Infinity); // cancelled
    expect(c.wake).toBeUndefined();
    expect(q.peek()).toBe(300);
    expect(q.popDue(600).map((i) => i.name)).toEqual(['a', 'b']);
    expect([a.wake, b.wake]).toEqual([undefined, undefined]);
    expect(q.peek()).toBe(Infinity);
  });

  it('rebuilds past superseded entries without losing a live one', () => {
    const q = new WakeQueue<Item>(onItems);
    const items = Array.from({ length: 10 }, (_, k): Item => ({ name: `i${k}`, wake: undefined }));
    for (let round = 0; round < 50; round++) for (const item of items) q.set(item, 10_000 - round);
    expect(
      q
        .popDue(10_000)
        .map((i) => i.name)
        .sort(),
    ).toEqual(items.map((i) => i.name).sort());
    expect(items.every((i) => i.wake === undefined)).toBe(true);
  });
});
