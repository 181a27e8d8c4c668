import type { Clock } from '../../time/Clock';
import { EARLY_TIMER_SLACK, MAX_SLEEP, WakeTimer } from './WakeTimer';
import { useFakeClock } from '@apogee/test-utils';

const T0 = new Date('2026-05-04T08:00:00Z').getTime();

/** Counts wakes and notes the clock at each. */
function target(clock: Clock) {
  const wakes: number[] = [];
  return { wakes, onWake: () => wakes.push(clock.now()) };
}

/** The fake clock, read late by `lag` ms while `lagging` is set (as `Date.now()` can be when a timer fires). */
function laggingClock() {
  const state = { lag: 0 };
  const clock: Clock = { now: () => Date.now() - state.lag };
  return { clock, state };
}

useFakeClock(T0);
beforeEach(() => {});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('WakeTimer by default', () => {
  it('wakes on the due instant itself, with one timer', () => {
    const clock: Clock = { now: () => Date.now() };
    const woken = target(clock);
    const timer = new WakeTimer(clock, false, woken);
    timer.arm(T0 + 1500);
    timer.arm(T0 + 1500);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1499);
    expect(woken.wakes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(woken.wakes).toEqual([T0 + 1500]);
    expect(timer.armedAt).toBe(Infinity);
  });

  it('on a real clock, waits out the rest in event-loop turns when it fires before the instant, and never blocks', () => {
    const wait = jest.spyOn(Atomics, 'wait');
    // The clock reads a millisecond short when the timer fires; each read after that moves it on
    // by 0.25 ms, as real time would.
    let reads = 0;
    let moving = false;
    const clock: Clock = {
      now: () => (moving ? Date.now() - 1 + 0.25 * reads++ : Date.now()),
      isReal: true,
    };
    const woken = target(clock);
    const timer = new WakeTimer(clock, false, woken);
    timer.arm(T0 + 1000);
    const turns = jest.spyOn(global, 'setImmediate');
    const rearms = jest.spyOn(global, 'setTimeout');
    jest.advanceTimersByTime(999);
    expect(woken.wakes).toEqual([]);
    moving = true;
    jest.advanceTimersByTime(1);
    jest.runOnlyPendingTimers();
    // It fired with the clock a millisecond short and turned (setImmediate) until the clock read
    // the instant, without arming a timer again. (Fake timers move their clock on each turn.)
    expect(woken.wakes).toHaveLength(1);
    expect(woken.wakes[0]).toBeGreaterThanOrEqual(T0 + 1000);
    expect(turns).toHaveBeenCalled();
    expect(rearms).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
    expect(wait).not.toHaveBeenCalled();
  });

  it('on an injected clock, arms again for the remainder when the clock still reads an earlier instant, and never blocks', () => {
    const wait = jest.spyOn(Atomics, 'wait');
    const { clock, state } = laggingClock();
    const woken = target(clock);
    const timer = new WakeTimer(clock, false, woken);
    timer.arm(T0 + 1000);
    state.lag = 2;
    jest.advanceTimersByTime(1000);
    expect(woken.wakes).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(woken.wakes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(woken.wakes).toEqual([T0 + 1000]);
    expect(wait).not.toHaveBeenCalled();
  });

  it('moves the timer when an earlier instant comes due, and sleeps at most MAX_SLEEP', () => {
    const clock: Clock = { now: () => Date.now() };
    const woken = target(clock);
    const timer = new WakeTimer(clock, false, woken);
    timer.arm(Infinity);
    expect(timer.armedAt).toBe(T0 + MAX_SLEEP);
    timer.arm(T0 + 10);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(10);
    expect(woken.wakes).toEqual([T0 + 10]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not wake once cancelled', () => {
    const clock: Clock = { now: () => Date.now() };
    const woken = target(clock);
    const timer = new WakeTimer(clock, false, woken);
    timer.arm(T0 + 10);
    timer.cancel();
    jest.advanceTimersByTime(100);
    expect(woken.wakes).toEqual([]);
    expect(timer.armedAt).toBe(Infinity);
  });
});

describe('WakeTimer with preciseTiming', () => {
  it(`fires ${EARLY_TIMER_SLACK} ms early and, on a fake clock, waits for the instant on a timer instead of busy-waiting`, () => {
    const wait = jest.spyOn(Atomics, 'wait');
    const clock: Clock = { now: () => Date.now(), isReal: false };
    const woken = target(clock);
    const timer = new WakeTimer(clock, true, woken);
    timer.arm(T0 + 1000);
    jest.advanceTimersByTime(1000 - EARLY_TIMER_SLACK);
    expect(woken.wakes).toEqual([]);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(EARLY_TIMER_SLACK);
    expect(woken.wakes).toEqual([T0 + 1000]);
    expect(wait).not.toHaveBeenCalled();
  });

  it('on a real clock, blocks through the last milliseconds and wakes on the instant in the same callback', () => {
    const wait = jest.spyOn(Atomics, 'wait').mockReturnValue('timed-out');
    // Each read after the early fire moves the clock on by 0.25 ms, as real time would.
    let reads = 0;
    let spinning = false;
    const clock: Clock = {
      now: () => (spinning ? Date.now() + 0.25 * reads++ : Date.now()),
      isReal: true,
    };
    const woken = target(clock);
    const timer = new WakeTimer(clock, true, woken);
    timer.arm(T0 + 1000);
    jest.advanceTimersByTime(1000 - EARLY_TIMER_SLACK - 1);
    spinning = true;
    jest.advanceTimersByTime(1);
    expect(wait).toHaveBeenCalledWith(expect.any(Int32Array), 0, 0, EARLY_TIMER_SLACK - 1);
    expect(woken.wakes).toHaveLength(1);
    expect(woken.wakes[0]).toBeGreaterThanOrEqual(T0 + 1000);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('arms for the instant itself when it is only a few milliseconds away', () => {
    const clock: Clock = { now: () => Date.now() };
    const woken = target(clock);
    const timer = new WakeTimer(clock, true, woken);
    timer.arm(T0 + 2);
    jest.advanceTimersByTime(1);
    expect(woken.wakes).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(woken.wakes).toEqual([T0 + 2]);
  });
});
