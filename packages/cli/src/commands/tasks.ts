import { client } from '../argv';
import { EXIT } from '../CliError';
import type { Output } from '../Output';
import { statusWord } from '../statusWord';
import { table, when } from '../table';
import { commandHelp, parseCommand } from './parseCommand';

/** `apogee tasks`: every task with its status, last and next run and start condition. */
export async function tasks(args: string[], io: Output): Promise<number> {
  const { values } = parseCommand('tasks', args, {});
  if (values.help === true) return commandHelp(io, 'tasks');
  const list = (await client(values).request('GET', '/tasks')) as Record<string, unknown>[];
  if (values.json === true) io.out(JSON.stringify(list, null, 2));
  else {
    io.out(
      table(
        ['NAME', 'STATUS', 'LAST RUN', 'NEXT RUN', 'START'],
        list.map((t) => [String(t.name), statusWord(t), when(t.lastRun), when(t.nextRun), String(t.start)]),
      ),
    );
  }
  return EXIT.ok;
}
