import { ApogeeError } from '@apogee/core';

/** Exit codes of the `apogee` command. */
export const EXIT = {
  ok: 0,
  /** The app answered with an error: an unknown task, bad parameters. */
  refused: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** The app's control API could not be reached. */
  unreachable: 3,
  /** The control API wants a (different) token. */
  unauthorized: 4,
  /** The run waited for (`trigger --wait`) failed. */
  runFailed: 5,
  /** The run waited for was terminated. */
  runTerminated: 6,
} as const;

/** The `code` of a CliError with each exit code: `CLI_USAGE`, `CLI_UNREACHABLE`, ... */
const CODES: ReadonlyMap<number, string> = new Map(
  Object.entries(EXIT).map(([name, exit]) => [
    exit,
    `CLI_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
  ]),
);

/**
 * A failure that ends the command with a message and an exit code. Its `code` says which kind
 * (`CLI_USAGE` for exit code 2, ...); the user sees `apogee: <message>`.
 */
export class CliError extends ApogeeError {
  /** The process's exit code, one of {@link EXIT}. */
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(CODES.get(exitCode) ?? 'CLI_FAILED', message);
    this.exitCode = exitCode;
  }
}
