import { ApogeeError } from '@apogee/core';

/**
 * The database's Apogee schema was written by a newer `@apogee/postgres` than this one: this code
 * does not know its tables, so it refuses to touch them rather than guess.
 */
export class PostgresSchemaError extends ApogeeError {
  constructor(
    /** The schema refused (`postgres({ schema })`). */
    readonly schema: string,
    /** The version the database's schema is at. */
    readonly found: number,
    /** The newest version this package knows. */
    readonly supported: number,
  ) {
    super(
      'POSTGRES_SCHEMA',
      `postgres(): schema "${schema}" is at version ${String(found)}, but this @apogee/postgres knows ` +
        `versions up to ${String(supported)}. Upgrade @apogee/postgres on this instance (a newer one ` +
        `migrated the schema), or give it another schema with postgres({ schema }).`,
    );
  }
}
