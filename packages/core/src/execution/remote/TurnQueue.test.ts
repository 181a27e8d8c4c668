import { TurnQueue } from './TurnQueue';

describe('TurnQueue', () => {
  it('serves higher priority first, then arrival order, skipping stale items', () => {
    const stale = new Set<string>();
    const q = new TurnQueue<string>((item) => stale.has(item));
    q.push('a1', 1);
    q.push('c5', 5);
    q.push('b1', 1);
    q.push('d5', 5);
    q.push('e-2', -2);
    stale.add('d5');
    expect(q.drain()).toEqual(['c5', 'a1', 'b1', 'e-2']);
    expect(q.shift()).toBeUndefined();
  });

  it('stays in order across a long backlog', () => {
    const q = new TurnQueue<number>(() => false);
    for (let i = 0; i < 10_000; i++) q.push(i, 0);
    const out = q.drain();
    expect(out).toHaveLength(10_000);
    expect(out.every((v, i) => v === i)).toBe(true);
  });
});
