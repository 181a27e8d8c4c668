import { MAX_MICRO_PASSES, PassQueue } from './PassQueue';

const flushMicrotasks = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('PassQueue', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('runs one pass for any number of requests made before it begins, in a microtask', async () => {
    let passes = 0;
    const queue = new PassQueue({
      pass: () => {
        passes++;
        return Promise.resolve();
      },
    });
    queue.request();
    queue.request();
    queue.request();
    expect(passes).toBe(0);
    await flushMicrotasks();
    expect(passes).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it(`yields to the event loop after ${MAX_MICRO_PASSES} microtask passes in a row, until the loop turns`, async () => {
    let passes = 0;
    const queue = new PassQueue({
      pass: () => {
        passes++;
        return Promise.resolve();
      },
    });
    for (let i = 0; i < MAX_MICRO_PASSES; i++) {
      queue.request();
      await flushMicrotasks();
    }
    expect(passes).toBe(MAX_MICRO_PASSES);
    queue.request();
    await flushMicrotasks();
    expect(passes).toBe(MAX_MICRO_PASSES);
    jest.runOnlyPendingTimers();
    expect(passes).toBe(MAX_MICRO_PASSES + 1);
    // The immediate was a turn of the loop: microtask passes again.
    queue.request();
    await flushMicrotasks();
    expect(passes).toBe(MAX_MICRO_PASSES + 2);
  });

  it('streams microtask passes again once told the loop turned', async () => {
    let passes = 0;
    const queue = new PassQueue({
      pass: () => {
        passes++;
        return Promise.resolve();
      },
    });
    for (let i = 0; i < MAX_MICRO_PASSES; i++) {
      queue.request();
      await flushMicrotasks();
    }
    queue.loopTurned();
    queue.request();
    await flushMicrotasks();
    expect(passes).toBe(MAX_MICRO_PASSES + 1);
  });
});
