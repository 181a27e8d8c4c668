import { client } from '../argv';
import { EXIT } from '../CliError';
import type { Output } from '../Output';
import { commandHelp, parseCommand, taskArgument } from './parseCommand';

/** `apogee terminate <task>`: terminates the task's running runs. */
export async function terminate(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('terminate', args, {});
  if (values.help === true) return commandHelp(io, 'terminate');
  const name = taskArgument('terminate', positionals);
  const result = (await client(values).request('POST', `/tasks/${encodeURIComponent(name)}/terminate`)) as {
    terminated?: boolean;
  };
  if (values.json === true) io.out(JSON.stringify(result, null, 2));
  else
    io.out(result.terminated === true ? `terminated the running runs of ${name}` : `${name} was not running`);
  return EXIT.ok;
}
