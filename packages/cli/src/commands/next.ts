import { client } from '../argv';
import { CliError, EXIT } from '../CliError';
import type { Output } from '../Output';
import { table, when } from '../table';
import { commandHelp, parseCommand } from './parseCommand';

/** `apogee next [n]`: the next `n` (default 10) predicted starts. */
export async function next(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('next', args, {});
  if (values.help === true) return commandHelp(io, 'next');
  const n = positionals[0] === undefined ? 10 : Number(positionals[0]);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliError(
      `apogee next takes a count from 1 to 1000, got "${positionals[0] ?? ''}".`,
      EXIT.usage,
    );
  const upcoming = (await client(values).request('GET', `/upcoming?n=${String(n)}`)) as {
    taskName: string;
    at: string;
  }[];
  if (values.json === true) io.out(JSON.stringify(upcoming, null, 2));
  else
    io.out(
      table(
        ['AT', 'TASK'],
        upcoming.map((u) => [when(u.at), u.taskName]),
      ),
    );
  return EXIT.ok;
}
