import { parseArgs } from 'node:util';
import { errorMessage } from '@apogee/core/internal';
import { COMMON_OPTIONS, type Options } from '../argv';
import { CliError, EXIT } from '../CliError';
import { HELP } from '../help';
import type { Output } from '../Output';

/** What `parseCommand` gives back: the common options' and the command's own values, and positionals. */
export type ParsedCommand<O extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: typeof COMMON_OPTIONS & O;
    allowPositionals: true;
    strict: true;
  }>
>;

/** Parses a command's arguments with the common options; a mistake is a usage error with its help. */
export function parseCommand<O extends Options>(
  command: string,
  args: string[],
  options: O,
): ParsedCommand<O> {
  try {
    return parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${errorMessage(error)}\n\n${HELP[command] ?? HELP.main ?? ''}`, EXIT.usage);
  }
}

/** The task's one positional argument, or a usage error naming the command. */
export function taskArgument(command: string, positionals: readonly string[]): string {
  const [name] = positionals;
  if (name === undefined)
    throw new CliError(`apogee ${command} needs a task name.\n\n${HELP[command] ?? ''}`, EXIT.usage);
  return name;
}

/** Prints a command's help (`--help`); asking for help succeeds. */
export function commandHelp(io: Output, command: string): number {
  io.out(HELP[command] ?? '');
  return EXIT.ok;
}
