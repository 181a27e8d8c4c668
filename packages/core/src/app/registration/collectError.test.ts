import { ConfigurationError } from '../../errors/ConfigurationError';
import { collectError } from './collectError';
import type { RegistrationProblem } from './RegistrationProblem';

describe('collectError', () => {
  it('returns the value when nothing is thrown', () => {
    const problems: RegistrationProblem[] = [];
    expect(collectError(problems, () => 5)).toBe(5);
    expect(problems).toEqual([]);
  });

  it('collects an Apogee error as a problem and returns undefined', () => {
    const problems: RegistrationProblem[] = [];
    const error = new ConfigurationError('x', 1, 'y');
    const thrower = (): number => {
      throw error;
    };
    expect(collectError(problems, thrower)).toBeUndefined();
    expect(problems).toEqual([{ kind: 'error', error }]);
  });

  it('lets anything else propagate: it is a bug, not a problem with the input', () => {
    const buggy = (): number => {
      throw new TypeError('bug');
    };
    expect(() => collectError([], buggy)).toThrow(TypeError);
  });
});
