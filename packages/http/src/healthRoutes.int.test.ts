import 'reflect-metadata';
import { App, ManualLeadership, MemoryRunLog, never, type RunLog } from '@apogee/core';
import { waitFor } from '@apogee/test-utils';
import { serveControl, type ControlServer } from './index';

/** Health probes through a real socket: what a load balancer or Kubernetes sees. */

jest.setTimeout(60_000);

const TOKEN = 'health-test-token';
const running: { app: App; done: Promise<void>; control: ControlServer }[] = [];

async function serve(app: App, health?: 'open'): Promise<ControlServer> {
  const done = app.run({ handleSignals: false });
  const control = await serveControl(app, {
    port: 0,
    token: TOKEN,
    ...(health === undefined ? {} : { health }),
  });
  running.push({ app, done, control });
  return control;
}

afterEach(async () => {
  for (const { app, done, control } of running.splice(0)) {
    await control.close();
    await app.shutdown();
    await done;
  }
});

async function probe(
  control: ControlServer,
  path: string,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${control.url}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /healthz and GET /readyz', () => {
  it("answer without a token only with health: 'open', and say the process runs alone", async () => {
    const app = new App();
    app.task({ name: 'idle', start: never }, () => undefined);
    const open = await serve(app, 'open');
    const health = await probe(open, '/healthz');
    expect(health).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        role: 'single',
        since: expect.any(String) as unknown,
      }) as unknown,
    });
    expect(await probe(open, '/readyz')).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ready', log: { reachable: true }, role: 'single' }) as unknown,
    });
    // Anything else still needs the token.
    expect((await probe(open, '/tasks')).status).toBe(401);

    const closedApp = new App();
    const closed = await serve(closedApp);
    expect((await probe(closed, '/healthz')).status).toBe(401);
    expect((await probe(closed, '/readyz', TOKEN)).status).toBe(200);
  });

  it('report leader or standby, since when, and the last store error', async () => {
    const leadership = new ManualLeadership(false);
    const failing = new MemoryRunLog();
    const log: RunLog = {
      append: () => Promise.reject(new Error('OOM command not allowed when used memory > maxmemory')),
      records: (query) => failing.records(query),
      appendOutput: () => undefined,
      output: () => Promise.resolve([]),
    };
    const warnings: { code?: string }[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_message: string, fields?: { code?: string }) => {
        warnings.push(fields ?? {});
      },
      error: () => undefined,
    };
    const app = new App({ leadership, log, config: { logger } });
    const control = await serve(app, 'open');
    expect((await probe(control, '/readyz')).body).toMatchObject({ role: 'standby' });
    leadership.set(true);
    await waitFor('the leadership to open', () => app.isLeader);
    {
      const task = app.task({ name: 't', start: never }, () => 1);
      task.run();
      task.run();
      const ready = await waitFor('the failed append to show', async () => {
        const answer = await probe(control, '/readyz');
        return answer.body.lastStoreError === undefined ? undefined : answer;
      });
      expect(ready).toEqual({
        status: 200,
        body: expect.objectContaining({
          role: 'leader',
          lastStoreError: {
            operation: expect.stringMatching(/^store a "\w+" record of task "t"$/) as unknown,
            message: 'OOM command not allowed when used memory > maxmemory',
            at: expect.any(String) as unknown,
          },
        }) as unknown,
      });
      // One warning line for the cause, however many records failed.
      expect(warnings.filter((w) => w.code === 'APOGEE_LOG_WRITE_FAILED')).toHaveLength(1);
    }
  });

  it('say not ready, with the reason, when the run log does not answer', async () => {
    const log: RunLog = {
      append: () => undefined,
      records: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
      appendOutput: () => undefined,
      output: () => Promise.resolve([]),
    };
    const app = new App({ log });
    const control = await serve(app, 'open');
    expect(await probe(control, '/readyz')).toEqual({
      status: 503,
      body: expect.objectContaining({
        status: 'unavailable',
        log: { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:6379' },
      }) as unknown,
    });
  });
});
