import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { App } from '@apogee/core';
import { errorMessage, isModuleTypeScript, registerTypeScriptHook } from '@apogee/core/internal';
import { serveControl } from '@apogee/http';
import { CliError, EXIT } from './CliError';
import { ControlClient } from './ControlClient';
import { table, when } from './table';

/** Where the command writes; tests and embedders can capture it. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const COMMON = `Common options:
  --url <url>      the app's control API (default: $APOGEE_URL or http://127.0.0.1:7070)
  --token <token>  bearer token, if the API requires one (default: $APOGEE_TOKEN)
  --json           print JSON instead of tables
  -h, --help       this help`;

const EXITS = `Exit codes: 0 done, 1 the app refused (unknown task, bad input), 2 bad command line,
3 the app cannot be reached, 4 wrong or missing token.`;

const HELP: Readonly<Record<string, string>> = {
  main: `apogee: run and control Apogee apps

Usage: apogee <command> [options]

Commands:
  run <app file>            start an app (a module exporting an App) with its control API
  tasks                     list tasks: status, last and next run, condition
  trigger <task>            run a task now, with --param key=value batch parameters
  logs [task]               show run records; --follow streams new ones
  next [n]                  what runs next (default 10)

Run "apogee <command> --help" for a command's options.

${EXITS}`,
  run: `Usage: apogee run <app file> [--port 7070] [--host 127.0.0.1] [--token <token>]
                 [--allowed-host <name> ...]

Loads <app file>, which must export an App as its default export or as "app", starts its control
API and runs it until Ctrl-C or SIGTERM. JavaScript may be CommonJS or an ES module (top-level
await included); TypeScript is compiled with the project's typescript, decorator metadata included
(an ES module .ts or .mts file goes through tsx, which emits none).
Binding to anything but loopback requires --token. The API answers only requests addressed to
its own address or localhost; --allowed-host adds a name it is reached by (a DNS name, a proxy).`,
  tasks: `Usage: apogee tasks [options]

Lists the app's tasks with their status, last run, next run and start condition.

${COMMON}`,
  trigger: `Usage: apogee trigger <task> [--param key=value ...] [options]

Queues one run of <task> with the given batch parameters (the highest level). A value is read as
JSON when it parses (--param n=3, --param tags='["a"]'), else as a string (--param user=ada).
Every key is passed as written, "__proto__" included.

${COMMON}`,
  logs: `Usage: apogee logs [task] [--action <action>] [--limit <n>] [--follow] [options]

Shows run records, oldest first (the last --limit, default 20). --follow then prints events
as they happen until Ctrl-C.

${COMMON}`,
  next: `Usage: apogee next [n] [options]

Shows the next n predicted runs (default 10). Tasks that wait for another task, a custom
condition or an observable are not predictable and not listed.

${COMMON}`,
};

const COMMON_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: O,
) {
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

function client(values: { url?: string | undefined; token?: string | undefined }): ControlClient {
  const url = values.url ?? process.env.APOGEE_URL ?? 'http://127.0.0.1:7070';
  if (!/^https?:\/\//.test(url))
    throw new CliError(`--url must be an http(s) URL, got "${url}".`, EXIT.usage);
  return new ControlClient(url, values.token ?? process.env.APOGEE_TOKEN);
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

// TypeScript compiles import() to require() in CommonJS output; ES modules need the real one.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importModule = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<Record<string, unknown>>;

/**
 * Loads the app file. CommonJS TypeScript goes through core's hook, which emits the decorator
 * metadata constructor injection needs; TypeScript that Node treats as an ES module (`.mts`,
 * `"type": "module"`) through tsx's ES module loader, which emits none. JavaScript is required,
 * and imported when it is an ES module that require() refuses (top-level await).
 */
async function importApp(path: string): Promise<Record<string, unknown>> {
  const typescript = /\.[cm]?tsx?$/.test(path);
  if (typescript && isModuleTypeScript(path)) {
    const { register } = createRequire(__filename)('tsx/esm/api') as { register: () => unknown };
    register();
    return importModule(pathToFileURL(path).href);
  }
  if (typescript) registerTypeScriptHook();
  try {
    return createRequire(__filename)(path) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return importModule(pathToFileURL(path).href);
  }
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
export async function main(
  argv: string[],
  io: Output = {
    out: (l) => void process.stdout.write(`${l}\n`),
    err: (l) => void process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP.main ?? '');
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    switch (command) {
      case 'run': {
        const { values, positionals } = parse('run', args, {
          port: { type: 'string' },
          host: { type: 'string' },
          'allowed-host': { type: 'string', multiple: true },
        });
        if (values.help === true) return help(io, 'run');
        const [file] = positionals;
        if (file === undefined)
          throw new CliError(`apogee run needs the app file.\n\n${HELP.run ?? ''}`, EXIT.usage);
        const port = Number(values.port ?? 7070);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliError(`--port must be a port number, got "${values.port ?? ''}".`, EXIT.usage);
        const app = await loadApp(file);
        const control = await serveControl(app, {
          port,
          ...(values.host === undefined ? {} : { host: values.host }),
          ...(values.token === undefined ? {} : { token: values.token }),
          ...(values['allowed-host'] === undefined ? {} : { allowedHosts: values['allowed-host'] }),
        }).catch((error: unknown) => {
          throw new CliError(`Cannot start the control API: ${errorMessage(error)}`, EXIT.usage);
        });
        io.out(`apogee: control API listening on ${control.url}`);
        try {
          await app.run();
        } finally {
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
                typeof t.status === 'string' ? t.status : '-',
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
        const { values, positionals } = parse('trigger', args, {
          param: { type: 'string', multiple: true, short: 'p' },
        });
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
        const result = await client(values).request('POST', `/tasks/${encodeURIComponent(name)}/run`, params);
        if (values.json === true) io.out(JSON.stringify(result, null, 2));
        else
          io.out(
            `queued a run of ${name}${Object.keys(params).length === 0 ? '' : ` with ${JSON.stringify(params)}`}`,
          );
        return EXIT.ok;
      }
      case 'logs': {
        const { values, positionals } = parse('logs', args, {
          action: { type: 'string' },
          limit: { type: 'string' },
          follow: { type: 'boolean', short: 'f' },
        });
        if (values.help === true) return help(io, 'logs');
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

function help(io: Output, command: string): number {
  io.out(HELP[command] ?? '');
  return EXIT.ok;
}
