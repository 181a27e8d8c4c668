import { client } from '../argv';
import { EXIT } from '../CliError';
import { explainTree, type ExplanationJson } from '../explainTree';
import type { Output } from '../Output';
import { taskState, type TaskJson } from '../taskState';
import { commandHelp, parseCommand, taskArgument } from './parseCommand';

/** `apogee why <task>`: the task's state and why its start condition holds or not. */
export async function why(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('why', args, {});
  if (values.help === true) return commandHelp(io, 'why');
  const name = taskArgument('why', positionals);
  const api = client(values);
  const path = `/tasks/${encodeURIComponent(name)}`;
  const task = (await api.request('GET', path)) as TaskJson;
  const explanation = (await api.request('GET', `${path}/explain`)) as ExplanationJson;
  if (values.json === true) io.out(JSON.stringify(explanation, null, 2));
  else for (const line of [...taskState(task), ...explainTree(explanation)]) io.out(line);
  return EXIT.ok;
}
