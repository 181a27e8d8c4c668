import type { ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './CliError';
import { ControlClient } from './ControlClient';
import { BACKFILL_OPTIONS } from './backfillCommand';
import { tokenOption } from './tokenOption';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** Options of each command, to tell the command word from an option's value wherever it stands. */
export const COMMAND_OPTIONS = {
  run: {
    port: { type: 'string' },
    host: { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
  },
  trigger: {
    param: { type: 'string', multiple: true, short: 'p' },
    wait: { type: 'boolean', short: 'w' },
  },
  backfill: BACKFILL_OPTIONS,
  logs: {
    run: { type: 'string' },
    action: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  },
} as const satisfies Record<string, Options>;

/** `--name` and `-x` spellings of every option that takes a value. */
const TAKES_VALUE: ReadonlySet<string> = new Set(
  [COMMON_OPTIONS, ...Object.values(COMMAND_OPTIONS)].flatMap((options: Options) =>
    Object.entries(options)
      .filter(([, o]) => o.type === 'string')
      .flatMap(([name, o]) => [`--${name}`, ...(o.short === undefined ? [] : [`-${o.short}`])]),
  ),
);

/**
 * The command word and the rest of the arguments, options before it included: `apogee --url U
 * tasks` is `apogee tasks --url U`. The command is the first argument that is neither an option
 * nor an option's value.
 */
export function splitCommand(argv: readonly string[]): { command: string | undefined; args: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (TAKES_VALUE.has(arg)) i++;
      continue;
    }
    return { command: arg, args: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { command: undefined, args: [...argv] };
}

/** The control API client for `--url` / `--token` / `--token-file` (or their environment variables). */
export function client(values: {
  url?: string | undefined;
  token?: string | undefined;
  'token-file'?: string | undefined;
}): ControlClient {
  const url = values.url ?? process.env.APOGEE_URL ?? 'http://127.0.0.1:7070';
  if (!/^https?:\/\//.test(url))
    throw new CliError(`--url must be an http(s) URL, got "${url}".`, EXIT.usage);
  return new ControlClient(url, tokenOption(values));
}
