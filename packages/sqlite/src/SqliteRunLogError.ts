import { ApogeeError } from '@apogee/core';

/** The SQLite run log could not open, read or write its file. Names the file and suggests a fix. */
export class SqliteRunLogError extends ApogeeError {
  constructor(
    /** The database file the failure concerns. */
    readonly path: string,
    problem: string,
    fix: string,
    input?: unknown,
    cause?: unknown,
  ) {
    super('SQLITE_RUN_LOG', `SqliteRunLog: run log "${path}": ${problem}.\nFix: ${fix}`, {
      input: input ?? path,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
