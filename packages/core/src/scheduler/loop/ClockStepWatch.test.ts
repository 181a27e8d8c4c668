import { ClockStepWatch, CLOCK_STEP } from './ClockStepWatch';

describe('ClockStepWatch', () => {
  it('tells a step back of the wall clock from time passing, slewing and steps forward', () => {
    let wall = 1_000_000;
    let mono = 0;
    const watch = new ClockStepWatch({ now: () => wall, monotonic: () => mono });
    expect(watch.steppedBack()).toBe(false);
    wall += 5000;
    mono += 5000;
    expect(watch.steppedBack()).toBe(false);
    wall -= CLOCK_STEP; // slewed within the tolerance
    expect(watch.steppedBack()).toBe(false);
    wall += 3_600_000; // forward: what it skipped is simply due
    expect(watch.steppedBack()).toBe(false);
    wall -= 30_000;
    expect(watch.steppedBack()).toBe(true);
    expect(watch.steppedBack()).toBe(false);
  });

  it('never reports a step for a clock without a monotonic reading', () => {
    let wall = 1_000_000;
    const watch = new ClockStepWatch({ now: () => wall });
    watch.steppedBack();
    wall -= 60_000;
    expect(watch.steppedBack()).toBe(false);
  });
});
