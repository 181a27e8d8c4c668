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

  it('adds up compound durations as Rocketry does', () => {
    expect(toMilliseconds('1 days 1 hours 30 minutes 30 seconds')).toBe(91_830_000);
    expect(toMilliseconds('1 hour, 30 minutes')).toBe(5_400_000);
    expect(toMilliseconds('1h 30min')).toBe(5_400_000);
    expect(toMilliseconds('2 minutes and 5 seconds')).toBe(125_000);
  });

  it('refuses a compound duration with a part that is not one, quoting the input', () => {
    for (const input of ['1 hour 30', '1 hour 30 parsecs', '1 hour,', 'hour 1', '']) {
      expect(() => toMilliseconds(input, 'every')).toThrow(ConfigurationError);
    }
    expect(() => toMilliseconds('1 hour 30 parsecs', 'every')).toThrow(
      /every: "1 hour 30 parsecs" is not valid/,
    );
  });
});
