import { client, COMMAND_OPTIONS } from '../argv';
import type { ControlClient } from '../ControlClient';
import { EXIT } from '../CliError';
import type { Output } from '../Output';
import { runOutputCommand } from '../runOutputCommand';
import { table, when } from '../table';
import { commandHelp, parseCommand } from './parseCommand';

/** `apogee logs [task]`: the latest log records; with `--follow`, then every event as it happens. */
export async function logs(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('logs', args, COMMAND_OPTIONS.logs);
  if (values.help === true) return commandHelp(io, 'logs');
  if (values.run !== undefined) return runOutput(values.run, values, io);
  const [name] = positionals;
  const api = client(values);
  const query = new URLSearchParams();
  if (name !== undefined) query.set('task', name);
  if (values.action !== undefined) query.set('action', values.action);
  query.set('limit', values.limit ?? '20');
  const records = (await api.request('GET', `/logs?${query.toString()}`)) as Record<string, unknown>[];
  if (values.json === true) io.out(JSON.stringify(records, null, 2));
  else io.out(recordTable(records));
  if (values.follow === true) await follow(api, name, values.json === true, io);
  return EXIT.ok;
}

/** `apogee logs --run <id> [--follow]`: one run's own output, followed until it ends; Ctrl-C stops. */
function runOutput(
  runId: string,
  values: Parameters<typeof client>[0] & { json?: boolean; follow?: boolean },
  io: Output,
): Promise<number> {
  const stop = new AbortController();
  process.once('SIGINT', () => {
    stop.abort();
  });
  const sink = {
    out: (line: string) => {
      io.out(line);
    },
    json: values.json === true,
  };
  return runOutputCommand(client(values), runId, values.follow === true, sink, stop.signal);
}

function recordTable(records: Record<string, unknown>[]): string {
  return table(
    ['CREATED', 'TASK', 'ACTION', 'RUNTIME', 'DETAIL'],
    records.map((r) => [
      when(r.created),
      String(r.taskName),
      String(r.action),
      typeof r.runtime === 'number' ? `${String(r.runtime)} ms` : '-',
      r.error !== undefined
        ? ((r.error as { message?: string }).message ?? JSON.stringify(r.error))
        : r.returnValue !== undefined
          ? JSON.stringify(r.returnValue)
          : '',
    ]),
  );
}

/** Prints the app's events (of task `name` only, when given) until Ctrl-C. */
async function follow(
  api: ControlClient,
  name: string | undefined,
  json: boolean,
  io: Output,
): Promise<void> {
  const stop = new AbortController();
  process.once('SIGINT', () => {
    stop.abort();
  });
  try {
    for await (const event of api.events(stop.signal)) {
      const taskName = (event.data as { taskName?: string }).taskName;
      if (name !== undefined && taskName !== name) continue;
      io.out(json ? JSON.stringify(event.data) : eventLine(event));
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  }
}

function eventLine(event: { type: string; data: unknown }): string {
  const d = event.data as {
    at?: string;
    taskName?: string;
    runId?: string;
    error?: { message?: string };
    returnValue?: unknown;
  };
  const detail =
    event.type === 'taskFailed'
      ? ` ${d.error?.message ?? ''}`
      : event.type === 'taskSucceeded' && d.returnValue !== undefined
        ? ` ${JSON.stringify(d.returnValue)}`
        : '';
  return `${when(d.at)}  ${event.type}${d.taskName === undefined ? '' : `  ${d.taskName}`}${detail}`;
}
