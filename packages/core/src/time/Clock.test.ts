import { systemClock } from './Clock';

describe('systemClock', () => {
  it('is real on the real clock, and not under fake timers (where a busy-wait would never end)', () => {
    expect(systemClock.isReal).toBe(true);
    jest.useFakeTimers();
    try {
      expect(systemClock.isReal).toBe(false);
    } finally {
      jest.useRealTimers();
    }
    expect(systemClock.isReal).toBe(true);
  });
});
