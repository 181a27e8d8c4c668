import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `pnpm start`, then Ctrl-C: the whole process group gets SIGINT, as from a terminal.
jest.setTimeout(60_000);

it('pnpm start stops with exit code 0 on Ctrl-C', async () => {
  const child = spawn('pnpm', ['start'], { cwd: resolve(__dirname, '../..'), detached: true });
  let output = '';
  const exited = new Promise<number | null>((done) => {
    child.on('exit', (code) => {
      done(code);
    });
  });
  await new Promise<void>((started, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('schedulerStarted')) started();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', () => {
      failed(new Error(`pnpm start ended before the scheduler started:\n${output}`));
    });
  });
  process.kill(-(child.pid as number), 'SIGINT');
  expect({ code: await exited, failed: /ELIFECYCLE|ERR_PNPM/.test(output) }).toEqual({
    code: 0,
    failed: false,
  });
  expect(output).toContain('stopped');
});
