import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `pnpm start`, then Ctrl-C: the whole process group gets SIGINT, as from a terminal.
jest.setTimeout(60_000);

it('pnpm start serves the dashboard, prints its address and stops with exit code 0 on Ctrl-C', async () => {
  const child = spawn('pnpm', ['start'], {
    cwd: resolve(__dirname, '../..'),
    detached: true,
    env: { ...process.env, APOGEE_PORT: '0' },
  });
  let output = '';
  const exited = new Promise<number | null>((done) => {
    child.on('exit', (code) => {
      done(code);
    });
  });
  await new Promise<void>((started, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('schedulerStarted') && output.includes('Dashboard: ')) started();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', () => {
      failed(new Error(`pnpm start ended before the scheduler started:\n${output}`));
    });
  });
  const address = /Dashboard: (\S+)/.exec(output)?.[1] ?? '';
  const page = await fetch(address, { headers: { accept: 'text/html' } });
  expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({
    status: 200,
    type: 'text/html; charset=utf-8',
  });
  process.kill(-(child.pid as number), 'SIGINT');
  expect({ code: await exited, failed: /ELIFECYCLE|ERR_PNPM/.test(output) }).toEqual({
    code: 0,
    failed: false,
  });
  expect(output).toContain('stopped');
});
