import { ApogeeError } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';

/** The shared run log could not read or write PostgreSQL. */
export class PostgresLogError extends ApogeeError {
  constructor(name: string, what: string, cause: unknown) {
    super(
      'POSTGRES_LOG',
      `PostgresRunLog("${name}"): ${what} (${errorMessage(cause)}). ` +
        'Check that PostgreSQL is reachable at the configured URL; the scheduler keeps its state in memory meanwhile.',
      { cause },
    );
  }
}
