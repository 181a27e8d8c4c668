import { yieldToLoop } from './yieldToLoop';

describe('yieldToLoop', () => {
  it('resumes waiting requests one per turn of the loop, in the order they asked', async () => {
    let turn = 0;
    let counting = true;
    const tick = (): void => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const resumed: [string, number][] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        await yieldToLoop();
        resumed.push([name, turn]);
      }),
    );
    counting = false;
    expect(resumed.map(([name]) => name)).toEqual(['a', 'b', 'c']);
    const turns = resumed.map(([, at]) => at);
    expect(turns[1]).toBeGreaterThan(turns[0] as number);
    expect(turns[2]).toBeGreaterThan(turns[1] as number);
  });
});
