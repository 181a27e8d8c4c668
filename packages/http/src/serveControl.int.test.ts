import {
  App,
  Arg,
  ConfigurationError,
  every,
  never,
  Private,
  Signal,
  type SchedulerEvent,
} from '@apogee/core';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { serveControl, type ControlServer } from './index';

let app: App;
let control: ControlServer;
let seen: unknown[];

/** Resolves with the first event matching `type` (and task). */
const next = (type: SchedulerEvent['type'], taskName?: string): Promise<SchedulerEvent> =>
  firstValueFrom(
    app.events.pipe(
      filter(
        (e) => e.type === type && (taskName === undefined || ('taskName' in e && e.taskName === taskName)),
      ),
    ),
  );

serveEachTest(
  () => {
    seen = [];
    app = new App({ params: { secret: new Private('hunter2') } });
    app.task(
      { name: 'report', start: never, inject: [Arg('user'), Arg('format', 'pdf')] },
      (user: string, format: string) => {
        seen.push([user, format]);
        return `${user}.${format}`;
      },
    );
    app.task(
      { name: 'tick', start: every('1 hour'), parameters: { password: new Private('s3cret') } },
      () => 'tick',
    );
    app.task(
      { name: 'slow', start: never, inject: [Signal()] },
      (signal: AbortSignal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', resolve);
        }),
    );
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${control.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & Record<string, unknown>[],
    headers: response.headers,
  };
};

describe('serveControl', () => {
  it('binds to loopback on a free port by default', () => {
    expect(control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(control.port).toBeGreaterThan(0);
  });

  it('lists tasks with status, times, next run, condition and masked Private parameters', async () => {
    if (app.session.get('tick').status !== 'success') await next('taskSucceeded', 'tick');
    const { status, body } = await call('GET', '/tasks');
    expect(status).toBe(200);
    expect(body.map((t) => t.name)).toEqual(['report', 'tick', 'slow']);
    const tick = body[1] as Record<string, unknown>;
    expect(tick).toMatchObject({
      name: 'tick',
      status: 'success',
      start: 'every 1 hour',
      isRunning: false,
      parameters: { password: '*****' },
    });
    expect(typeof tick.lastRun).toBe('string');
    expect(new Date(tick.nextRun as string).getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify(body)).not.toContain('s3cret');
  });

  it('shows one task, and answers an unknown one with 404 and close names', async () => {
    expect((await call('GET', '/tasks/report')).body).toMatchObject({
      name: 'report',
      // Registered without a start condition: it runs only when asked to.
      start: 'on request',
      status: null,
    });
    const missing = await call('GET', '/tasks/reprot');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'Unknown task "reprot".', closeNames: ['report'] });
  });

  it('runs a task with the posted batch parameters', async () => {
    const succeeded = next('taskSucceeded', 'report');
    const { status, body } = await call(
      'POST',
      '/tasks/report/run',
      JSON.stringify({ user: 'ada', format: 'csv' }),
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({ task: 'report', queued: true, parameters: { user: 'ada', format: 'csv' } });
    expect(await succeeded).toMatchObject({ returnValue: 'ada.csv' });
    expect(seen).toEqual([['ada', 'csv']]);
  });

  it.each([
    ['malformed JSON', '{"user": ', 400, /not valid JSON/],
    ['an array', '["ada"]', 400, /must be a JSON object of batch parameters .* got an array/],
    ['a string', '"ada"', 400, /got a string/],
    ['null', 'null', 400, /got null/],
  ])('rejects %s with a 400 and queues nothing', async (_label, body, status, message) => {
    const response = await call('POST', '/tasks/report/run', body);
    expect(response.status).toBe(status);
    expect(String(response.body.error)).toMatch(message);
    expect(app.session.get('report').batches).toEqual([]);
  });

  it('rejects a huge body with 413, a wrong content type with 415, a wrong method with 405 and unknown endpoints with 404', async () => {
    const huge = await call('POST', '/tasks/report/run', JSON.stringify({ blob: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    const text = await call('POST', '/tasks/report/run', 'user=ada', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const wrongMethod = await call('GET', '/tasks/report/run');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await call('GET', '/nope')).status).toBe(404);
    expect((await call('POST', '/tasks/nope/run', '{}')).status).toBe(404);
    expect(app.session.get('report').batches).toEqual([]);
    // The scheduler is unaffected: a good request still runs.
    const succeeded = next('taskSucceeded', 'report');
    expect((await call('POST', '/tasks/report/run', '{"user":"grace"}')).status).toBe(202);
    await succeeded;
  });

  it('survives a raw malformed request', async () => {
    const { connect } = await import('node:net');
    const socket = connect(control.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => {
        resolve(data);
      });
      socket.write('NONSENSE\r\n\r\n');
    });
    expect(reply).toContain('400 Bad Request');
    expect((await call('GET', '/tasks')).status).toBe(200);
  });

  it('terminates a running task', async () => {
    const started = next('taskStarted', 'slow');
    await call('POST', '/tasks/slow/run');
    await started;
    const terminated = next('taskTerminated', 'slow');
    const { status, body } = await call('POST', '/tasks/slow/terminate');
    expect(status).toBe(202);
    expect(body).toEqual({ task: 'slow', terminated: true });
    await terminated;
  });

  it('returns run records filtered by task and action, and validates the query', async () => {
    const succeeded = next('taskSucceeded', 'report');
    await call('POST', '/tasks/report/run', '{"user":"ada"}');
    await succeeded;
    const { body } = await call('GET', '/logs?task=report&action=success&limit=5');
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ taskName: 'report', action: 'success', returnValue: 'ada.pdf' });
    expect((await call('GET', '/logs?action=exploded')).status).toBe(400);
    expect((await call('GET', '/logs?limit=-3')).status).toBe(400);
    expect((await call('GET', '/logs?task=ghost')).status).toBe(404);
  });

  it('writes an object shared by two tasks, or returned by two runs, in full each time', async () => {
    const shared = { region: 'eu', retries: 3 };
    const result = { rows: 2 };
    const other = new App();
    other.task({ name: 'a', start: never, parameters: { config: shared } }, () => result);
    other.task({ name: 'b', start: never, parameters: { config: shared } }, () => result);
    const running = other.run({ handleSignals: false });
    const server = await serveControl(other, { port: 0 });
    try {
      const tasks = (await (await fetch(`${server.url}/tasks`)).json()) as { parameters: unknown }[];
      expect(tasks.map((t) => t.parameters)).toEqual([{ config: shared }, { config: shared }]);
      const twice = firstValueFrom(
        other.events.pipe(
          filter((e) => e.type === 'taskSucceeded'),
          take(2),
          toArray(),
        ),
      );
      other.session.get('a').run();
      other.session.get('a').run();
      await twice;
      const records = (await (await fetch(`${server.url}/logs?action=success`)).json()) as {
        returnValue: unknown;
      }[];
      expect(records.map((r) => r.returnValue)).toEqual([result, result]);
    } finally {
      await server.close();
      await other.shutdown();
      await running;
    }
  });

  it('lists upcoming runs', async () => {
    const { body } = await call('GET', '/upcoming?n=2');
    expect(body.map((u) => u.taskName)).toEqual(['tick', 'tick']);
  });

  it('streams events as server-sent events', async () => {
    const response = await fetch(`${control.url}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const received: string[] = [];
    const reading = (async () => {
      let text = '';
      while (!text.includes('event: taskSucceeded')) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        text += new TextDecoder().decode(value);
      }
      received.push(...[...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1] ?? ''));
      await reader.cancel();
    })();
    await call('POST', '/tasks/report/run', '{"user":"ada"}');
    await reading;
    expect(received).toEqual(['taskStarted', 'taskSucceeded']);
  });
});

describe('serveControl with a token', () => {
  it('refuses to bind beyond loopback without a token', async () => {
    const other = new App();
    await expect(serveControl(other, { port: 0, host: '0.0.0.0' })).rejects.toThrow(ConfigurationError);
    await expect(serveControl(other, { port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /would let anyone on the network run your tasks/,
    );
  });

  it('checks the bearer token on every request', async () => {
    const secured = await serveControl(app, { port: 0, host: '0.0.0.0', token: 'let-me-in' });
    try {
      const url = `http://127.0.0.1:${String(secured.port)}/tasks`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: 'Bearer let-me-in' } });
      expect(ok.status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
