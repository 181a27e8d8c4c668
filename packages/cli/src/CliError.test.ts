import { ApogeeError } from '@apogee/core';
import { CliError, EXIT } from './CliError';
import { main } from './main';

describe('CliError', () => {
  it('is an ApogeeError whose code names its exit code', () => {
    const error = new CliError('--port must be a port number, got "x".', EXIT.usage);
    expect(ApogeeError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: 'CliError', code: 'CLI_USAGE', exitCode: 2 });
    expect(new CliError('no', EXIT.runFailed).code).toBe('CLI_RUN_FAILED');
  });

  it('still reaches the user as "apogee: <message>" with its exit code', async () => {
    const err: string[] = [];
    const code = await main(['next', '0'], { out: () => undefined, err: (l) => err.push(l) });
    expect([code, err]).toEqual([EXIT.usage, ['apogee: apogee next takes a count from 1 to 1000, got "0".']]);
  });
});
