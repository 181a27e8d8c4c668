import { readFileSync } from 'node:fs';
import { errorMessage } from '@apogee/core/internal';
import { CliError, EXIT } from './CliError';

/**
 * The control API token: `--token`, else the first line of `--token-file`, else `APOGEE_TOKEN`.
 * A token on the command line shows in every `ps` listing for the life of the process; a file or
 * the environment does not. Absent everywhere: `undefined`.
 */
export function tokenOption(values: {
  token?: string | undefined;
  'token-file'?: string | undefined;
}): string | undefined {
  if (values.token !== undefined) return values.token;
  const file = values['token-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`Cannot read the token file ${file}: ${errorMessage(error)}`, EXIT.usage);
    }
    const token = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
    if (token === '')
      throw new CliError(`The token file ${file} is empty: write the token on its first line.`, EXIT.usage);
    return token;
  }
  const fromEnv = process.env.APOGEE_TOKEN;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
