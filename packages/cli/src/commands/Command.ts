import type { Output } from '../Output';

/**
 * One `apogee <command>`: parses its own arguments (the command word removed), does its work,
 * writes to `io` and resolves to the exit code. A usage or refusal is thrown as a `CliError`.
 */
export type Command = (args: string[], io: Output) => Promise<number>;
