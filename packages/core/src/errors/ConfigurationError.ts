import { ApogeeError } from './ApogeeError';

/** A value given to Apogee is not one it accepts: a duration, a time zone, a time of day, an option. */
export class ConfigurationError extends ApogeeError {
  constructor(
    what: string,
    input: unknown,
    expected: string,
    fields: { taskName?: string; cause?: unknown } = {},
  ) {
    super(
      'INVALID_CONFIGURATION',
      `${what}: ${JSON.stringify(input) ?? String(input)} is not valid. Expected ${expected}.`,
      {
        input,
        ...fields,
      },
    );
  }
}
