import { client, COMMAND_OPTIONS } from '../argv';
import { CliError, EXIT } from '../CliError';
import { followRun } from '../followRun';
import type { Output } from '../Output';
import { commandHelp, parseCommand, taskArgument } from './parseCommand';

/** A `--param` value: JSON when it parses, else the string itself. */
export function paramValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** `apogee trigger <task>`: queues a run with `--param`s; with `--wait`, follows it to its end. */
export async function trigger(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('trigger', args, COMMAND_OPTIONS.trigger);
  if (values.help === true) return commandHelp(io, 'trigger');
  const name = taskArgument('trigger', positionals);
  const params = Object.fromEntries(
    (values.param ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CliError(`--param takes key=value, got "${pair}".`, EXIT.usage);
      return [pair.slice(0, eq), paramValue(pair.slice(eq + 1))];
    }),
  );
  if (values.wait === true)
    return await followRun(
      client(values),
      name,
      params,
      {
        out: (l) => {
          io.out(l);
        },
        // Progress goes where errors go: stdout stays the outcome (JSON with --json), whatever it is.
        line: (l) => {
          io.err(l);
        },
        ...(io.status === undefined ? {} : { status: io.status.bind(io) }),
      },
      values.json === true,
    );
  const result = (await client(values).request('POST', `/tasks/${encodeURIComponent(name)}/run`, params)) as {
    runId?: string;
  };
  if (values.json === true) io.out(JSON.stringify(result, null, 2));
  else
    io.out(
      `queued a run of ${name}${Object.keys(params).length === 0 ? '' : ` with ${JSON.stringify(params)}`}${result.runId === undefined ? '' : ` (run ${result.runId})`}`,
    );
  return EXIT.ok;
}
