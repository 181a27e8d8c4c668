import { never } from '../../conditions/constants';
import { every } from '../../conditions/time/every';
import { AsyncChecks, PENDING } from './AsyncChecks';
import { task } from '../fixtures/fakes';

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

function setup() {
  const woken: (string | undefined)[] = [];
  const checks = new AsyncChecks({ checkSettled: (t) => woken.push(t?.name) });
  return { checks, woken };
}

const TIMED_OUT = { value: false, next: 123 };

describe('AsyncChecks', () => {
  it('keeps a settled result for the next look at its task, once', async () => {
    const { checks, woken } = setup();
    const t = task('t');
    let settle: (v: { value: boolean; next: number }) => void = () => undefined;
    checks.watch(t, never, new Promise((r) => (settle = r)), 1000, () => TIMED_OUT);
    expect(checks.take(t, never)).toBe(PENDING);
    settle({ value: true, next: 5 });
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toEqual(['t']);
    expect(checks.take(t, never)).toEqual({ value: true, next: 5 });
    expect(checks.take(t, never)).toBeUndefined();
  });

  it('answers the timed-out result past the limit and ignores the late answer', async () => {
    const { checks, woken } = setup();
    const t = task('t');
    let settle: (v: { value: boolean; next: number }) => void = () => undefined;
    checks.watch(t, never, new Promise((r) => (settle = r)), 1000, () => TIMED_OUT);
    await jest.advanceTimersByTimeAsync(999);
    expect(checks.take(t, never)).toBe(PENDING);
    await jest.advanceTimersByTimeAsync(1);
    expect(checks.take(t, never)).toEqual(TIMED_OUT);
    settle({ value: true, next: 5 });
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toEqual(['t']);
    expect(checks.take(t, never)).toBeUndefined();
  });

  it('drops results the look did not take, and keeps checks under way', async () => {
    const { checks } = setup();
    const t = task('t');
    const start = every('1 second');
    checks.watch(t, never, Promise.resolve({ value: true, next: 1 }), 1000, () => TIMED_OUT);
    checks.watch(t, start, new Promise(() => undefined), 1000, () => TIMED_OUT);
    await jest.advanceTimersByTimeAsync(0);
    checks.dropSettled(t);
    expect(checks.take(t, never)).toBeUndefined();
    expect(checks.take(t, start)).toBe(PENDING);
    checks.clear();
    expect(jest.getTimerCount()).toBe(0);
  });
});
