import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

// The README's flow: after `pnpm install`, `pnpm exec apogee` is the command. pnpm links a bin
// only if its file exists at install, before any build: bin/apogee.js is committed for that.
it('pnpm exec apogee runs the command from the workspace root', async () => {
  const { stdout } = await promisify(execFile)('pnpm', ['exec', 'apogee', '--help'], {
    cwd: resolve(__dirname, '..', '..', '..'),
    timeout: 30_000,
  });
  expect(stdout).toContain('apogee: run and control Apogee apps');
}, 40_000);
