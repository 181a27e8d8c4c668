import { client } from '../argv';
import { EXIT } from '../CliError';
import type { Output } from '../Output';
import type { Command } from './Command';
import { commandHelp, parseCommand, taskArgument } from './parseCommand';

// The pair differs only in the route and the sentence, so one function serves both words.
const toggle =
  (command: 'enable' | 'disable'): Command =>
  async (args: string[], io: Output): Promise<number> => {
    const { values, positionals } = parseCommand(command, args, {});
    if (values.help === true) return commandHelp(io, command);
    const name = taskArgument(command, positionals);
    const result = await client(values).request('POST', `/tasks/${encodeURIComponent(name)}/${command}`);
    if (values.json === true) io.out(JSON.stringify(result, null, 2));
    else
      io.out(
        command === 'disable'
          ? `${name} is disabled: it no longer starts on its condition (apogee enable ${name} undoes it)`
          : `${name} is enabled: it starts whenever its condition holds`,
      );
    return EXIT.ok;
  };

/** `apogee enable <task>`: the task starts on its condition again. */
export const enable = toggle('enable');
/** `apogee disable <task>`: the task no longer starts on its condition (manual runs still do). */
export const disable = toggle('disable');
