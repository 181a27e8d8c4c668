import { errorMessage } from '@apogee/core/internal';
import { splitCommand } from './argv';
import { CliError, EXIT } from './CliError';
import { COMMANDS } from './commands/COMMANDS';
import { parseCommand } from './commands/parseCommand';
import { HELP } from './help';
import { terminalOutput, type Output } from './Output';

/**
 * Runs the `apogee` command with `argv` (without `node` and the script). Resolves to the exit code.
 */
export async function main(argv: string[], io: Output = terminalOutput()): Promise<number> {
  const { command, args } = splitCommand(argv);
  try {
    if (command === undefined || command === 'help') {
      const asked = args.includes('--help') || args.includes('-h') || command === 'help';
      if (!asked && args.length > 0) parseCommand('main', args, {});
      io.out(HELP.main ?? '');
      return asked ? EXIT.ok : EXIT.usage;
    }
    const run = COMMANDS.get(command);
    if (run === undefined)
      throw new CliError(`Unknown command "${command}".\n\n${HELP.main ?? ''}`, EXIT.usage);
    return await run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`apogee: ${error.message}`);
      return error.exitCode;
    }
    io.err(`apogee: ${errorMessage(error)}`);
    return EXIT.refused;
  }
}
