import { callingRun, type CallingRun } from './callingRun';

const run = (): CallingRun => ({ done: Promise.resolve() });

describe('callingRun', () => {
  it('is the run whose code executes synchronously, and the previous one again after it', () => {
    const outer = run();
    const inner = run();
    const seen: (CallingRun | undefined)[] = [];
    callingRun.run(outer, () => {
      seen.push(callingRun.getStore());
      callingRun.run(inner, () => seen.push(callingRun.getStore()));
      seen.push(callingRun.getStore());
    });
    seen.push(callingRun.getStore());
    expect(seen).toEqual([outer, inner, outer, undefined]);
  });

  it('is restored when the function throws', () => {
    expect(() =>
      callingRun.run(run(), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(callingRun.getStore()).toBeUndefined();
  });

  it('is not carried past an await (no async hooks are turned on for it)', async () => {
    const mine = run();
    let afterAwait: CallingRun | undefined = mine;
    await callingRun.run(mine, async () => {
      await Promise.resolve();
      afterAwait = callingRun.getStore();
    });
    expect(afterAwait).toBeUndefined();
  });
});
