import { ApogeeError } from '../../errors/ApogeeError';
import type { RegistrationProblem } from './RegistrationProblem';

/**
 * `compute()`, or `undefined` with its Apogee error added to `problems`, so that a condition
 * that does not parse or a bad duration is reported with every other problem. Anything else
 * thrown is a bug, not a problem with the input, and propagates.
 */
export function collectError<T>(problems: RegistrationProblem[], compute: () => T): T | undefined {
  try {
    return compute();
  } catch (error) {
    if (!ApogeeError.is(error)) throw error;
    problems.push({ kind: 'error', error });
    return undefined;
  }
}
