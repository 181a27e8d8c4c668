import { App, never, Private, type SchedulerEvent } from '@apogee/core';
import { filter, firstValueFrom } from 'rxjs';
import { serveControl, type ControlServer } from './index';

let app: App;
let control: ControlServer;
let done: Promise<void>;

const TOKEN = 'dashboard-test-token';

const ended = (taskName: string): Promise<SchedulerEvent> =>
  firstValueFrom(
    app.events.pipe(
      filter((e) => e.type !== 'taskStarted' && 'runId' in e && 'taskName' in e && e.taskName === taskName),
    ),
  );

beforeEach(async () => {
  app = new App();
  let calls = 0;
  app.task({ name: 'flaky', start: never }, () => {
    calls++;
    if (calls % 2 === 0) throw new Error(`call ${String(calls)} failed`);
    return { calls };
  });
  app.task({ name: 'idle', start: never }, () => undefined);
  done = app.run({ handleSignals: false });
  control = await serveControl(app, { port: 0, token: TOKEN });
});
afterEach(async () => {
  await control.close();
  await app.shutdown();
  await done;
});

const call = async (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
  const response = await fetch(`${control.url}${path}`, { headers });
  const text = await response.text();
  return {
    status: response.status,
    text,
    headers: response.headers,
    json: () => JSON.parse(text) as unknown,
  };
};

/** Runs `flaky` `n` times, one after the other; returns the run ids in order. */
async function runFlaky(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const end = ended('flaky');
    app.session.get('flaky').run();
    const event = await end;
    ids.push((event as { runId: string }).runId);
  }
  return ids;
}

describe('the dashboard page', () => {
  it('is served at / to a browser and at /dashboard/, without the token and with a strict policy', async () => {
    const page = await call('/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<script type="module" src="/dashboard/app.js">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect((await call('/dashboard/', {})).text).toBe(page.text);
    const script = await call('/dashboard/app.js', {});
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves the chart library from its installed package', async () => {
    const lib = await call('/dashboard/vendor/uPlot.esm.js', {});
    expect(lib.status).toBe(200);
    expect(lib.text).toContain('export { uPlot as default }');
    expect((await call('/dashboard/vendor/uPlot.min.css', {})).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('keeps the endpoint list at / for API clients, and every data route behind the token', async () => {
    const index = await call('/');
    expect(index.json()).toMatchObject({
      endpoints: expect.arrayContaining(['GET /tasks', 'GET /timeline', 'GET /runs']) as unknown,
    });
    for (const path of ['/', '/timeline', '/runs', '/runs/x?task=idle', '/tasks'])
      expect((await call(path, {})).status).toBe(401);
    expect((await call('/dashboard/nothing.js', {})).status).toBe(401);
  });

  it('is refused, like the API, to a foreign Host or Origin', async () => {
    const foreign = await call('/dashboard/app.js', { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
  });
});

describe('GET /runs', () => {
  it("gives each named task's last n finished runs, oldest first", async () => {
    const ids = await runFlaky(3);
    const answer = (await call('/runs?task=flaky&task=idle&n=2')).json() as Record<
      string,
      { runId: string; action: string }[]
    >;
    expect(answer.flaky?.map((r) => [r.runId, r.action])).toEqual([
      [ids[1], 'fail'],
      [ids[2], 'success'],
    ]);
    expect(answer.idle).toEqual([]);
  });

  it('gives one run in full: return value, or error with its stack', async () => {
    const [ok, failed] = await runFlaky(2);
    const success = (await call(`/runs/${ok ?? ''}?task=flaky`)).json();
    expect(success).toMatchObject({ runId: ok, action: 'success', returnValue: { calls: 1 } });
    const failure = (await call(`/runs/${failed ?? ''}?task=flaky`)).json() as {
      error: unknown;
      stack: string;
      runtime: number;
    };
    expect(failure.error).toEqual({ name: 'Error', message: 'call 2 failed' });
    expect(failure.stack).toContain('dashboardRoutes.int.test.ts');
    expect(typeof failure.runtime).toBe('number');
  });

  it("gives a run's batch parameters however it was started, a Private masked, in /runs/:runId and /logs", async () => {
    const [plain] = await runFlaky(1);
    let end = ended('flaky');
    const posted = await fetch(`${control.url}/tasks/flaky/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ada' }),
    });
    const { runId: viaHttp } = (await posted.json()) as { runId: string };
    await end;
    end = ended('flaky');
    const viaApi = app.session.get('flaky').run({ user: 'grace', password: new Private('hunter2') });
    await end;
    expect((await call(`/runs/${viaHttp}?task=flaky`)).json()).toMatchObject({
      action: 'fail',
      parameters: { user: 'ada' },
    });
    const secret = await call(`/runs/${viaApi}?task=flaky`);
    expect(secret.json()).toMatchObject({
      action: 'success',
      parameters: { user: 'grace', password: '*****' },
    });
    expect(secret.text).not.toContain('hunter2');
    expect(secret.json()).not.toHaveProperty('stack');
    expect((await call(`/runs/${plain ?? ''}?task=flaky`)).json()).not.toHaveProperty('parameters');
    const logs = await call('/logs?task=flaky');
    expect(logs.text).not.toContain('hunter2');
    const records = logs.json() as { runId: string; action: string; parameters?: unknown }[];
    expect(records.filter((r) => r.runId === viaApi).map((r) => [r.action, r.parameters])).toEqual([
      ['run', { user: 'grace', password: '*****' }],
      ['success', { user: 'grace', password: '*****' }],
    ]);
    expect(records.filter((r) => r.runId === plain).every((r) => r.parameters === undefined)).toBe(true);
  });

  it('answers a wrong run, a missing task and an unknown task with the reason', async () => {
    await runFlaky(1);
    expect((await call('/runs/nope?task=flaky')).json()).toMatchObject({
      error: expect.stringContaining('No run "nope"') as unknown,
    });
    expect((await call('/runs/nope')).status).toBe(400);
    const unknown = await call('/runs?task=flaky&task=flakey');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ closeNames: ['flaky'] });
  });
});

describe('GET /timeline', () => {
  it("answers the named tasks' runs over the window", async () => {
    const ids = await runFlaky(2);
    const answer = (
      await call(`/timeline?task=flaky&from=${String(Date.now() - 3_600_000)}&buckets=100`)
    ).json();
    expect(answer).toMatchObject({
      buckets: 100,
      lanes: [
        {
          task: 'flaky',
          total: 2,
          runs: [
            { runId: ids[0], action: 'success' },
            { runId: ids[1], action: 'fail' },
          ],
        },
      ],
    });
  });

  it('refuses a backward or too long window, a bad time and too many buckets', async () => {
    const now = Date.now();
    for (const query of [
      `from=${String(now)}&to=${String(now - 1)}`,
      `from=${String(now - 8 * 86_400_000)}`,
      'to=yesterday',
      'buckets=5000',
    ]) {
      const answer = await call(`/timeline?${query}`);
      expect([query, answer.status]).toEqual([query, 400]);
    }
  });
});
