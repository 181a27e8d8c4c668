import { App, Arg, every, never } from '@apogee/core';
import { serveControl, type ControlServer } from '@apogee/http';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';
import { apogee, BIN, ROOT } from './fixtures/runApogee';

// Each test starts several node processes one after another: on a loaded machine one start can
// take a second or more, which jest's default 5 s would turn into a failure.
jest.setTimeout(30_000);

let app: App;
let control: ControlServer;
const received: unknown[] = [];

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" first (pnpm test does).`);
});

serveEachTest(
  () => {
    received.length = 0;
    app = new App();
    app.task(
      { name: 'report', start: never, inject: [Arg('user'), Arg('copies', 1)] },
      (user: string, copies: number) => {
        received.push({ user, copies });
        return `${user} x${String(copies)}`;
      },
    );
    app.task({ name: 'tick', start: every('1 hour') }, () => 'tick');
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

describe('apogee', () => {
  it('prints help for itself and every command, with exit code 0', async () => {
    const main = await apogee(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('Commands:');
    for (const command of ['run', 'tasks', 'trigger', 'logs', 'next']) {
      const help = await apogee([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`apogee ${command}`);
    }
  });

  it('exits 2 on a bad command line', async () => {
    const unknown = await apogee(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "launch"');
    const badFlag = await apogee(['tasks', '--colour']);
    expect(badFlag.code).toBe(2);
    expect((await apogee(['trigger'])).code).toBe(2);
    expect((await apogee(['trigger', 'report', '--param', 'novalue', '--url', control.url])).code).toBe(2);
  });

  it('lists tasks as a table and as JSON', async () => {
    const table = await apogee(['tasks', '--url', control.url]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+LAST RUN\s+NEXT RUN\s+START$/);
    expect(table.stdout).toMatch(/report\s+never run\s+-\s+-\s+on request\n/);
    const json = await apogee(['tasks', '--json', '--url', control.url]);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((t) => t.name)).toEqual(['report', 'tick']);
  });

  it('triggers a run with parameters, reading values as JSON when they parse', async () => {
    const succeeded = firstValueFrom(
      app.events.pipe(filter((e) => e.type === 'taskSucceeded' && e.taskName === 'report')),
    );
    const result = await apogee([
      'trigger',
      'report',
      '--param',
      'user=ada',
      '--param',
      'copies=3',
      '--url',
      control.url,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('queued a run of report with {"user":"ada","copies":3}');
    await succeeded;
    expect(received).toEqual([{ user: 'ada', copies: 3 }]);
  });

  it('passes a --param named __proto__ as a parameter like any other', async () => {
    const other = new App();
    other.task({ name: 'echo', start: never }, () => 'echo');
    const server = await serveControl(other, { port: 0 });
    try {
      const result = await apogee([
        'trigger',
        'echo',
        '--param',
        '__proto__={"polluted":true}',
        '--param',
        'user=ada',
        '--url',
        server.url,
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'queued a run of echo with {"__proto__":{"polluted":true},"user":"ada"}',
      );
      const [batch] = other.session.get('echo').batches;
      expect(Object.keys(batch ?? {})).toEqual(['__proto__', 'user']);
      expect(Object.getOwnPropertyDescriptor(batch, '__proto__')?.value).toEqual({ polluted: true });
      expect(Object.getPrototypeOf(batch)).toBe(Object.prototype);
    } finally {
      await server.close();
    }
  });

  it('exits 1 with the reason when the app refuses the event stream', async () => {
    const full = await serveControl(app, { port: 0, maxEventClients: 0 });
    try {
      const follow = await apogee(['logs', '--follow', '--url', full.url]);
      expect(follow.code).toBe(1);
      expect(follow.stderr).toContain('503: Too many event streams');
    } finally {
      await full.close();
    }
  });

  it('exits 1 with close names for an unknown task, 3 when the app is unreachable, 4 for a wrong token', async () => {
    const unknown = await apogee(['trigger', 'reprot', '--url', control.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404: Unknown task "reprot". Did you mean report?');
    const unreachable = await apogee(['tasks', '--url', 'http://127.0.0.1:9']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('Cannot reach the app at http://127.0.0.1:9');
    const secured = await serveControl(app, { port: 0, token: 'sesame' });
    try {
      expect((await apogee(['tasks', '--url', secured.url, '--token', 'wrong'])).code).toBe(4);
      expect((await apogee(['tasks'], { APOGEE_URL: secured.url, APOGEE_TOKEN: 'sesame' })).code).toBe(0);
    } finally {
      await secured.close();
    }
  });

  it('shows logs and what runs next', async () => {
    const succeeded = firstValueFrom(
      app.events.pipe(filter((e) => e.type === 'taskSucceeded' && e.taskName === 'report')),
    );
    await apogee(['trigger', 'report', '--param', 'user=grace', '--url', control.url]);
    await succeeded;
    const logs = await apogee(['logs', 'report', '--url', control.url]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/report\s+success\s+\d+ ms\s+"grace x1"/);
    const json = await apogee(['logs', '--action', 'success', '--json', '--url', control.url]);
    expect((JSON.parse(json.stdout) as { taskName: string }[]).map((r) => r.taskName)).toContain('report');
    const nextRuns = await apogee(['next', '2', '--url', control.url]);
    expect(nextRuns.code).toBe(0);
    expect(
      nextRuns.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/).at(-1)),
    ).toEqual(['tick', 'tick']);
  });

  it('follows logs as events arrive', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', 'report', '--follow', '--url', control.url], {
      cwd: ROOT,
    });
    let output = '';
    const seen = new Promise<void>((resolveSeen) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('taskSucceeded  report "linus x1"')) resolveSeen();
      });
    });
    await new Promise<void>((resolveReady) =>
      child.stdout.once('data', () => {
        resolveReady();
      }),
    );
    await apogee(['trigger', 'report', '--param', 'user=linus', '--url', control.url]);
    await seen;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    expect(code).toBe(0);
  });

  it('runs an app file with its control API until SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'run', join('examples', 'src', 'control', 'app.ts'), '--port', '0'],
      { cwd: ROOT },
    );
    let output = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] !== undefined) resolveUrl(match[1]);
      });
      child.on('exit', () => {
        reject(new Error(`apogee run exited early: ${output}`));
      });
    });
    const tasks = await apogee(['tasks', '--json', '--url', url]);
    expect((JSON.parse(tasks.stdout) as { name: string }[]).map((t) => t.name)).toEqual([
      'report',
      'heartbeat',
    ]);
    const trigger = await apogee(['trigger', 'report', '--param', 'user=ada', '--url', url]);
    expect(trigger.code).toBe(0);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
    expect(code).toBe(0);
    expect(output).toContain('apogee: stopped');
  });
});
