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

/** A failure that ends the command with a message and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
