import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { App } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import { serveControl } from '@apogee/http';
import { importApp } from './appLoading';
import { backfillCommand } from './backfillCommand';
import { client, COMMAND_OPTIONS, COMMON_OPTIONS, splitCommand, type Options } from './argv';
import { CliError, EXIT } from './CliError';
import { explainTree, type ExplanationJson } from './explainTree';
import { followRun } from './followRun';
import { HELP } from './help';
import { statusWord } from './statusWord';
import { table, when } from './table';
import { taskState, type TaskJson } from './taskState';
import { printable } from './printable';
import { runOutputCommand } from './runOutputCommand';
import { tokenOption } from './tokenOption';
import { watchFailures } from './watchFailures';

/** Where the command writes; tests and embedders can capture it. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /**
   * Redraws one status line in place (a progress bar); `''` clears it. Given only when the output
   * is a terminal: without it, progress is written as lines.
   */
  status?(text: string): void;
}

// Whatever reaches the terminal is escaped (see printable): lines carry run data, and only the
// status line's own redraw sequence is meant for the terminal.
const terminalOutput = (): Output => ({
  out: (l) => void process.stdout.write(`${printable(l)}\n`),
  err: (l) => void process.stderr.write(`${printable(l)}\n`),
  ...(process.stderr.isTTY
    ? { status: (text: string) => void process.stderr.write(`\r\x1b[2K${printable(text)}`) }
    : {}),
});

/** Parses a command's arguments with the common options; a mistake is a usage error with its help. */
function parse<O extends Options>(command: string, args: string[], options: O) {
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

/** A `--param` value: JSON when it parses, else the string itself. */
export function paramValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
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

async function loadApp(file: string): Promise<App> {
  const path = resolve(file);
  let loaded: Record<string, unknown>;
  try {
    loaded = await importApp(path);
  } catch (error) {
    throw new CliError(`Cannot load ${file}: ${errorMessage(error)}`, EXIT.usage);
  }
  const nested = loaded.default as Record<string, unknown> | undefined;
  const candidates = [loaded.default, loaded.app, nested?.default, nested?.app];
  const app = candidates.find(
    (c) => typeof c === 'object' && c !== null && 'session' in c && typeof (c as App).run === 'function',
  );
  if (app === undefined) {
    throw new CliError(
      `${file} does not export an App: export it as default (export default app) or as "app".`,
      EXIT.usage,
    );
  }
  return app as App;
}

/**
 * Runs the `apogee` command with `argv` (without `node` and the script). Resolves to the exit code.
 */
export async function main(argv: string[], io: Output = terminalOutput()): Promise<number> {
  const { command, args } = splitCommand(argv);
  try {
    if (command === undefined || command === 'help') {
      const asked = args.includes('--help') || args.includes('-h') || command === 'help';
      if (!asked && args.length > 0) parse('main', args, {});
      io.out(HELP.main ?? '');
      return asked ? EXIT.ok : EXIT.usage;
    }
    switch (command) {
      case 'run': {
        const { values, positionals } = parse('run', args, COMMAND_OPTIONS.run);
        if (values.help === true) return help(io, 'run');
        const [file] = positionals;
        if (file === undefined)
          throw new CliError(`apogee run needs the app file.\n\n${HELP.run ?? ''}`, EXIT.usage);
        const port = Number(values.port ?? 7070);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliError(`--port must be a port number, got "${values.port ?? ''}".`, EXIT.usage);
        const token = tokenOption(values);
        const app = await loadApp(file);
        const control = await serveControl(app, {
          port,
          ...(values.host === undefined ? {} : { host: values.host }),
          ...(token === undefined ? {} : { token }),
          ...(values['allowed-host'] === undefined ? {} : { allowedHosts: values['allowed-host'] }),
        }).catch((error: unknown) => {
          throw new CliError(`Cannot start the control API: ${errorMessage(error)}`, EXIT.usage);
        });
        io.out(`apogee: control API listening on ${control.url}`);
        const failures = watchFailures(app, io);
        try {
          await app.run();
        } finally {
          failures.unsubscribe();
          await control.close();
        }
        io.out('apogee: stopped');
        return EXIT.ok;
      }
      case 'tasks': {
        const { values } = parse('tasks', args, {});
        if (values.help === true) return help(io, 'tasks');
        const tasks = (await client(values).request('GET', '/tasks')) as Record<string, unknown>[];
        if (values.json === true) io.out(JSON.stringify(tasks, null, 2));
        else {
          io.out(
            table(
              ['NAME', 'STATUS', 'LAST RUN', 'NEXT RUN', 'START'],
              tasks.map((t) => [
                String(t.name),
                statusWord(t),
                when(t.lastRun),
                when(t.nextRun),
                String(t.start),
              ]),
            ),
          );
        }
        return EXIT.ok;
      }
      case 'trigger': {
        const { values, positionals } = parse('trigger', args, COMMAND_OPTIONS.trigger);
        if (values.help === true) return help(io, 'trigger');
        const [name] = positionals;
        if (name === undefined)
          throw new CliError(`apogee trigger needs a task name.\n\n${HELP.trigger ?? ''}`, EXIT.usage);
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
        const result = (await client(values).request(
          'POST',
          `/tasks/${encodeURIComponent(name)}/run`,
          params,
        )) as { runId?: string };
        if (values.json === true) io.out(JSON.stringify(result, null, 2));
        else
          io.out(
            `queued a run of ${name}${Object.keys(params).length === 0 ? '' : ` with ${JSON.stringify(params)}`}${result.runId === undefined ? '' : ` (run ${result.runId})`}`,
          );
        return EXIT.ok;
      }
      case 'logs': {
        const { values, positionals } = parse('logs', args, COMMAND_OPTIONS.logs);
        if (values.help === true) return help(io, 'logs');
        if (values.run !== undefined) {
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
          return await runOutputCommand(
            client(values),
            values.run,
            values.follow === true,
            sink,
            stop.signal,
          );
        }
        const [name] = positionals;
        const api = client(values);
        const query = new URLSearchParams();
        if (name !== undefined) query.set('task', name);
        if (values.action !== undefined) query.set('action', values.action);
        query.set('limit', values.limit ?? '20');
        const records = (await api.request('GET', `/logs?${query.toString()}`)) as Record<string, unknown>[];
        if (values.json === true) io.out(JSON.stringify(records, null, 2));
        else {
          io.out(
            table(
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
            ),
          );
        }
        if (values.follow === true) {
          const stop = new AbortController();
          process.once('SIGINT', () => {
            stop.abort();
          });
          try {
            for await (const event of api.events(stop.signal)) {
              const taskName = (event.data as { taskName?: string }).taskName;
              if (name !== undefined && taskName !== name) continue;
              io.out(values.json === true ? JSON.stringify(event.data) : eventLine(event));
            }
          } catch (error) {
            if (!stop.signal.aborted) throw error;
          }
        }
        return EXIT.ok;
      }
      case 'next': {
        const { values, positionals } = parse('next', args, {});
        if (values.help === true) return help(io, 'next');
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
      case 'why': {
        const { values, positionals } = parse('why', args, {});
        if (values.help === true) return help(io, 'why');
        const name = taskArgument('why', positionals);
        const api = client(values);
        const path = `/tasks/${encodeURIComponent(name)}`;
        const task = (await api.request('GET', path)) as TaskJson;
        const explanation = (await api.request('GET', `${path}/explain`)) as ExplanationJson;
        if (values.json === true) io.out(JSON.stringify(explanation, null, 2));
        else for (const line of [...taskState(task), ...explainTree(explanation)]) io.out(line);
        return EXIT.ok;
      }
      case 'terminate': {
        const { values, positionals } = parse('terminate', args, {});
        if (values.help === true) return help(io, 'terminate');
        const name = taskArgument('terminate', positionals);
        const result = (await client(values).request(
          'POST',
          `/tasks/${encodeURIComponent(name)}/terminate`,
        )) as { terminated?: boolean };
        if (values.json === true) io.out(JSON.stringify(result, null, 2));
        else
          io.out(
            result.terminated === true ? `terminated the running runs of ${name}` : `${name} was not running`,
          );
        return EXIT.ok;
      }
      case 'backfill': {
        const { values, positionals } = parse('backfill', args, COMMAND_OPTIONS.backfill);
        if (values.help === true) return help(io, 'backfill');
        return await backfillCommand(client(values), taskArgument('backfill', positionals), values, io);
      }
      case 'disable':
      case 'enable': {
        const { values, positionals } = parse(command, args, {});
        if (values.help === true) return help(io, command);
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
      }
      default:
        throw new CliError(`Unknown command "${command}".\n\n${HELP.main ?? ''}`, EXIT.usage);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`apogee: ${error.message}`);
      return error.exitCode;
    }
    io.err(`apogee: ${errorMessage(error)}`);
    return EXIT.refused;
  }
}

/** The task's one positional argument, or a usage error naming the command. */
function taskArgument(command: string, positionals: readonly string[]): string {
  const [name] = positionals;
  if (name === undefined)
    throw new CliError(`apogee ${command} needs a task name.\n\n${HELP[command] ?? ''}`, EXIT.usage);
  return name;
}

function help(io: Output, command: string): number {
  io.out(HELP[command] ?? '');
  return EXIT.ok;
}
