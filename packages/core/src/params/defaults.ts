import { NoValueError } from '../errors/NoValueError';

/** Options of arguments that may fall back to a default when their source has no value. */
export interface DefaultOption<T = unknown> {
  /** Used when the source has no value; leave it out to make "no value" an error. */
  readonly default?: T;
}

/** The default if one was given (even `undefined` given explicitly), else a `NoValueError`. */
export function defaultOr(
  options: DefaultOption | undefined,
  message: string,
  fields: { key?: string; taskName?: string } = {},
): unknown {
  if (options !== undefined && Object.prototype.hasOwnProperty.call(options, 'default'))
    return options.default;
  throw new NoValueError(message, fields);
}
