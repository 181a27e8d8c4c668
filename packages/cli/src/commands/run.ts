import { resolve } from 'node:path';
import type { App } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import { serveControl } from '@apogee/http';
import { importApp } from '../appLoading';
import { COMMAND_OPTIONS } from '../argv';
import { CliError, EXIT } from '../CliError';
import { HELP } from '../help';
import type { Output } from '../Output';
import { tokenOption } from '../tokenOption';
import { watchFailures } from '../watchFailures';
import { commandHelp, parseCommand } from './parseCommand';

/** `apogee run <app file>`: loads the app, serves its control API and runs it until it stops. */
export async function run(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommand('run', args, COMMAND_OPTIONS.run);
  if (values.help === true) return commandHelp(io, 'run');
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

/** The App `file` exports as default or as `app` (also under a CommonJS module's default). */
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
