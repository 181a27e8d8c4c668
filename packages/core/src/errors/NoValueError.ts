import { ApogeeError } from './ApogeeError';

/**
 * An argument found no value (an unset environment variable, a task that never returned).
 * `a.or(b)` moves on to `b` on this error and only this one; anything else propagates.
 * Throw it from a custom `Argument` to mean "nothing here".
 */
export class NoValueError extends ApogeeError {
  constructor(message: string, fields: { key?: string; taskName?: string } = {}) {
    super('NO_VALUE', message, fields);
  }
}
