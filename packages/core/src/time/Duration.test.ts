import { ConfigurationError } from '../errors/ConfigurationError';
import { toMilliseconds } from './Duration';

describe('toMilliseconds', () => {
  it('reads numbers and unit strings', () => {
    expect(toMilliseconds(250)).toBe(250);
    expect(toMilliseconds('1.5 hours')).toBe(5_400_000);
    expect(toMilliseconds('2 weeks')).toBe(1_209_600_000);
  });

  it('refuses durations a Date cannot add, however they are written', () => {
    for (const input of [`${'9'.repeat(400)} days`, '2000000000 weeks', Infinity, 1e16]) {
      expect(() => toMilliseconds(input as string, 'every')).toThrow(ConfigurationError);
    }
    expect(() => toMilliseconds(`${'9'.repeat(400)} days`, 'every')).toThrow(/at most 1000000000000000 ms/);
    expect(toMilliseconds('1000 weeks')).toBe(604_800_000_000);
  });
});
