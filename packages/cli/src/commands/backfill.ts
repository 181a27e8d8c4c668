import { client, COMMAND_OPTIONS } from '../argv';
import { backfillCommand } from '../backfillCommand';
import type { Output } from '../Output';
import { commandHelp, parseCommand, taskArgument } from './parseCommand';

/** `apogee backfill <task>`: runs the task for past slots (the work is in backfillCommand). */
export async function backfill(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('backfill', args, COMMAND_OPTIONS.backfill);
  if (values.help === true) return commandHelp(io, 'backfill');
  return await backfillCommand(client(values), taskArgument('backfill', positionals), values, io);
}
