import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, MemoryRunLog, never } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { apogee, BIN, ROOT } from './fixtures/runApogee';

/**
 * What the command prints from runs reaches a real terminal stream: here, a real child process's
 * stdout and stderr. And the token of `apogee run` need not be on its command line.
 */
jest.setTimeout(120_000);

// ESC, BEL, a C1 control and a bidirectional override: what a terminal would act on.
// eslint-disable-next-line no-control-regex -- control characters are what the test looks for
const RAW_CONTROL = /[\u001b\u0007\u009b\u202e]/;
const HOSTILE = 'owned \u001b]0;pwned\u0007 \u001b[2J \u009b31m \u202eevil';

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" first (pnpm test does).`);
});

describe('apogee prints run data escaped', () => {
  it('apogee run shows a failed run whose error carries terminal controls, escaped', async () => {
    const result = await apogee([
      'run',
      join('packages', 'cli', 'src', 'fixtures', 'hostileApp.ts'),
      '--port',
      '0',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('apogee: task hostile failed (run ');
    expect(result.stderr).toContain('owned \\u001b]0;pwned\\u0007 \\u001b[2J \\u009b31m \\u202eevil');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
  });

  it('apogee logs shows errors and values escaped, in tables and in JSON', async () => {
    const log = new MemoryRunLog();
    const app = new App({ log });
    app.task({ name: 'report', start: never }, () => 'ok');
    const at = new Date();
    log.append({ taskName: 'report', runId: 'a', action: 'fail', created: at, error: new Error(HOSTILE) });
    log.append({ taskName: 'report', runId: 'b', action: 'success', created: at, returnValue: HOSTILE });
    const control = await serveControl(app, { port: 0 });
    try {
      const shown = await apogee(['logs', 'report', '--url', control.url]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('\\u001b]0;pwned\\u0007');
      expect(shown.stdout).not.toMatch(RAW_CONTROL);
      const json = await apogee(['logs', 'report', '--json', '--url', control.url]);
      expect(json.stdout).not.toMatch(RAW_CONTROL);
      const records = JSON.parse(json.stdout) as { returnValue?: unknown; error?: { message: string } }[];
      expect(records.map((r) => r.returnValue ?? r.error?.message)).toEqual([HOSTILE, HOSTILE]);
    } finally {
      await control.close();
    }
  });
});

describe('apogee run takes its token from APOGEE_TOKEN or --token-file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apogee-token-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `apogee run` on the example app bound to every interface; resolves with its URL and the child. */
  async function runOnNetwork(args: string[], env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [BIN, 'run', join('examples', 'src', 'control', 'app.ts'), '--port', '0', '--host', '0.0.0.0', ...args],
      { cwd: ROOT, env: { ...process.env, APOGEE_TOKEN: '', ...env } },
    );
    let output = '';
    const url = await new Promise<string>((found, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
        if (match?.[1] !== undefined) found(`http://127.0.0.1:${match[1]}`);
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', () => {
        reject(new Error(`apogee run exited early: ${output}`));
      });
    });
    return {
      url,
      stop: async () => {
        child.kill('SIGTERM');
        await new Promise((stopped) => child.on('exit', stopped));
      },
    };
  }

  it.each([
    ['APOGEE_TOKEN', [] as string[], { APOGEE_TOKEN: 's3cret' }],
    ['--token-file', ['--token-file', 'TOKEN_FILE'], {}],
  ])('binds to the network with the token from %s, and requires it', async (_label, args, env) => {
    const file = join(dir, 'token');
    writeFileSync(file, 's3cret\n');
    const server = await runOnNetwork(
      args.map((a) => (a === 'TOKEN_FILE' ? file : a)),
      env,
    );
    try {
      expect((await apogee(['tasks', '--url', server.url])).code).toBe(4);
      expect((await apogee(['tasks', '--url', server.url, '--token-file', file])).code).toBe(0);
      expect((await apogee(['tasks', '--url', server.url], { APOGEE_TOKEN: 's3cret' })).code).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('refuses an empty or missing token file, naming it', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    const refused = await apogee([
      'run',
      join('examples', 'src', 'control', 'app.ts'),
      '--host',
      '0.0.0.0',
      '--token-file',
      empty,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`The token file ${empty} is empty`);
    const missing = await apogee(['tasks', '--url', 'http://127.0.0.1:1', '--token-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the token file');
  });
});
