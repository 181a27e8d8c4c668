import type { Clock } from '../../time/Clock';

/**
 * The longest the scheduler sleeps in one go, even when nothing is due for days. Timers run on
 * the monotonic clock while due instants are wall-clock times: after a suspend or a clock step
 * the two disagree, and waking once a minute bounds the error. It is one timer for the whole
 * app, whatever the number of tasks. (croner does the same with a 30-second cap.)
 */
export const MAX_SLEEP = 60_000;
/**
 * Precise timing only: how early (ms) the timer is armed before a due instant. libuv measures
 * timers from the loop time cached at the start of an iteration, and a sleeping VM may wake late:
 * on a 2-core VM a timer fired up to about 3 ms off, early or late.
 */
export const EARLY_TIMER_SLACK = 3;
/**
 * Precise timing only: the longest stretch (ms) before a due instant that the timer blocks the
 * event loop for once it has fired early. It sleeps in `Atomics.wait` (no CPU, no allocation)
 * until the last millisecond, which it spins through because `Date.now()` has whole
 * milliseconds only. Event-loop turns instead allocated about 100 KB per due instant, whose
 * young-generation collections landed in later passes.
 */
export const FINAL_WAIT = 2 * EARLY_TIMER_SLACK;
/**
 * The most (ms) by which a timer may fire before its wall-clock instant through rounding alone
 * (libuv's cached loop time against `Date.now()`); beyond it, the wall clock was set back.
 */
const CLOCK_ROUNDING = FINAL_WAIT;
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
/**
 * Default timing on a real clock: the most event-loop turns the timer waits through when it fired
 * before its instant (libuv counts from its cached loop time, so it often fires some tenths of a
 * millisecond early). A turn takes a few microseconds; past this many, the clock is not moving as
 * a real one does, and the timer is armed again instead.
 */
const MAX_TURNS = 20_000;

/** Who the timer wakes. */
export interface WakeTarget {
  /** The instant the timer was armed for has come (by the clock). */
  onWake(): void;
}

/**
 * The scheduler's one timer. By default it is armed for the due instant itself and never
 * blocks: when it fires while the clock still reads an earlier millisecond (libuv and
 * `Date.now()` round differently), the remainder is waited out in event-loop turns on a real
 * clock (see {@link WakeTimer.waitRest}), or the timer is armed again for it. With `precise` it is
 * armed {@link EARLY_TIMER_SLACK} ms early and, on a real clock, blocks the event loop through
 * the last few milliseconds (see {@link FINAL_WAIT}) so that the wake lands on the instant.
 * Arming allocates no closure: the callback is one bound method.
 */
export class WakeTimer {
  // ---- state (the one timer) ----
  /** The pending timer, if armed. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The pending event-loop turn, while the last fraction of a millisecond is waited out by default. */
  private turn: ReturnType<typeof setImmediate> | undefined;
  /** Turns waited so far for the instant now armed. */
  private turns = 0;
  /** The instant the pending timer stands for (`Infinity` when disarmed); a re-arm for the same instant is free. */
  private armedFor = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly precise: boolean,
    private readonly target: WakeTarget,
  ) {}

  /** The instant the timer is armed for, or `Infinity`. */
  get armedAt(): number {
    return this.armedFor;
  }

  /** Wakes the target at `due` (or in {@link MAX_SLEEP}, whichever is sooner); `Infinity` sleeps the longest. */
  arm(due: number): void {
    // Armed for this very instant already: it was no later than MAX_SLEEP ahead then, so it is
    // not now either (most passes end here, without reading the clock).
    if ((this.timer !== undefined || this.turn !== undefined) && due === this.armedFor) return;
    const now = this.clock.now();
    const at = Math.min(due, now + MAX_SLEEP);
    if ((this.timer !== undefined || this.turn !== undefined) && at === this.armedFor) return;
    this.clear();
    this.start(at, at - now);
  }

  /** Disarms the timer. */
  cancel(): void {
    this.clear();
    this.armedFor = Infinity;
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.turn !== undefined) clearImmediate(this.turn);
    this.timer = undefined;
    this.turn = undefined;
  }

  private start(at: number, delay: number): void {
    this.armedFor = at;
    this.turns = 0;
    const early = this.precise && delay > FINAL_WAIT ? delay - EARLY_TIMER_SLACK : delay;
    this.timer = setTimeout(this.fire, Math.max(0, early));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.turn = undefined;
    const at = this.armedFor;
    const { clock } = this;
    let gap = at - clock.now();
    // An injected or fake clock only moves when its owner moves it: a busy-wait would never end.
    if (gap > 0 && gap <= FINAL_WAIT && this.precise && clock.isReal === true) {
      if (gap > 1) Atomics.wait(SLEEPER, 0, 0, gap - 1);
      while (clock.now() < at) {
        // The last fraction of a millisecond: Date.now() is a vDSO read, no system call.
      }
      gap = 0;
    }
    // More than a rounding gap left although the timer ran its course: the wall clock was set
    // back. The target wakes now, to see that its wall-clock wakes are too far off.
    if (gap > 0 && gap <= CLOCK_ROUNDING) {
      this.waitRest(at, gap);
      return;
    }
    this.armedFor = Infinity;
    this.target.onWake();
  };

  /**
   * The timer fired `gap` ms before its instant (libuv and `Date.now()` round differently). On a
   * real clock the rest, under a millisecond or two, is waited out in event-loop turns: the loop
   * is not blocked (I/O and other timers run between them), and the wake does not land a whole
   * timer tick late, as a timer armed again for the rest would. Otherwise (an injected or fake
   * clock, or a clock that does not move) the timer is armed again for the rest.
   */
  private waitRest(at: number, gap: number): void {
    if (gap <= 2 && this.turns < MAX_TURNS && (this.turns > 0 || this.clock.isReal === true)) {
      this.turns++;
      this.turn = setImmediate(this.fire);
      return;
    }
    this.start(at, gap);
  }
}
