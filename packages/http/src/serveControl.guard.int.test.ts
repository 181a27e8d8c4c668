import { request } from 'node:http';
import { connect } from 'node:net';
import { App, Arg, never } from '@apogee/core';
import { serveControl, type ControlServer } from './index';

/**
 * What a hostile or careless client can do: requests from other sites' pages, DNS rebinding,
 * malformed input, floods of queued runs. Every request here goes through a real socket.
 */

let app: App;
let control: ControlServer;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** A request with exactly the headers given (node's fetch would add or refuse some, like Host). */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
          headers: res.headers,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const host = (): string => `127.0.0.1:${String(control.port)}`;
const json = { 'content-type': 'application/json' };
const queued = (): number => app.session.get('report').batches.length;

beforeEach(async () => {
  // Not running: queued batches stay queued, so a test sees exactly what a request queued.
  app = new App();
  app.task({ name: 'report', start: never, inject: [Arg('user', 'nobody')] }, (user: string) => user);
  control = await serveControl(app, { port: 0, maxQueuedBatches: 3 });
});
afterEach(async () => {
  await control.close();
});

describe('serveControl refuses what a web page can send', () => {
  it.each([
    ['no content type', {}],
    ['text/plain (fetch with a string body)', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['a form (curl -d)', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a near miss', { 'content-type': 'application/jsonp' }],
  ])('answers a body sent with %s with 415 and queues nothing', async (_label, headers) => {
    const reply = await raw(control.port, 'POST', '/tasks/report/run', headers, '{"user":"eve"}');
    expect(reply.status).toBe(415);
    expect(String(reply.body.error)).toContain('Content-Type: application/json');
    expect(queued()).toBe(0);
  });

  it('accepts application/json with a charset, and a body-less POST without a content type', async () => {
    const typed = { 'content-type': 'Application/JSON; charset=utf-8' };
    expect((await raw(control.port, 'POST', '/tasks/report/run', typed, '{"user":"ada"}')).status).toBe(202);
    expect((await raw(control.port, 'POST', '/tasks/report/run')).status).toBe(202);
    expect(app.session.get('report').batches).toEqual([{ user: 'ada' }, {}]);
  });

  it.each([
    ['http://attacker.example'],
    ['null'],
    [`http://127.0.0.1:1`],
    ['https://localhost.attacker.example'],
  ])('answers a request from a page at Origin %s with 403, for reads and writes', async (origin) => {
    const post = await raw(control.port, 'POST', '/tasks/report/run', { ...json, origin }, '{}');
    expect(post.status).toBe(403);
    expect(String(post.body.error)).toMatch(/other sites are refused/);
    expect((await raw(control.port, 'POST', '/tasks/report/run', { origin })).status).toBe(403);
    expect((await raw(control.port, 'GET', '/tasks', { origin })).status).toBe(403);
    expect((await raw(control.port, 'GET', '/events', { origin })).status).toBe(403);
    expect(queued()).toBe(0);
  });

  it('serves a request whose Origin is the server itself', async () => {
    const origin = `http://${host()}`;
    expect((await raw(control.port, 'POST', '/tasks/report/run', { ...json, origin }, '{}')).status).toBe(
      202,
    );
    expect(
      (await raw(control.port, 'GET', '/tasks', { origin: `http://localhost:${String(control.port)}` }))
        .status,
    ).toBe(200);
  });

  it('answers a Host that does not name the server (a DNS-rebinding page) with 403', async () => {
    const rebound = `attacker.example:${String(control.port)}`;
    const read = await raw(control.port, 'GET', '/tasks', { host: rebound });
    expect(read.status).toBe(403);
    expect(String(read.body.error)).toMatch(/does not name this server.*allowedHosts/);
    expect((await raw(control.port, 'POST', '/tasks/report/run', { host: rebound }, '')).status).toBe(403);
    expect((await raw(control.port, 'GET', '/tasks', { host: '127.0.0.1:1' })).status).toBe(403);
    expect(queued()).toBe(0);
    expect((await raw(control.port, 'GET', '/tasks', { host: host() })).status).toBe(200);
    expect(
      (await raw(control.port, 'GET', '/tasks', { host: `LOCALHOST:${String(control.port)}` })).status,
    ).toBe(200);
  });

  it('serves the names given in allowedHosts, with any port or the one given', async () => {
    const proxied = await serveControl(app, {
      port: 0,
      allowedHosts: ['control.example', 'proxy.example:8443'],
    });
    try {
      const status = async (hostHeader: string, origin?: string): Promise<number> =>
        (
          await raw(proxied.port, 'GET', '/tasks', {
            host: hostHeader,
            ...(origin === undefined ? {} : { origin }),
          })
        ).status;
      expect(await status('control.example')).toBe(200);
      expect(await status('Control.Example:9000', 'https://control.example')).toBe(200);
      expect(await status('proxy.example:8443', 'https://proxy.example:8443')).toBe(200);
      expect(await status('proxy.example')).toBe(403);
      expect(await status('control.example', 'https://proxy.example')).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('accepts the bearer scheme in any case', async () => {
    const secured = await serveControl(app, { port: 0, token: 'let-me-in' });
    try {
      for (const scheme of ['Bearer', 'bearer', 'BEARER'])
        expect(
          (await raw(secured.port, 'GET', '/tasks', { authorization: `${scheme} let-me-in` })).status,
        ).toBe(200);
      expect((await raw(secured.port, 'GET', '/tasks', { authorization: 'bearer let-me-out' })).status).toBe(
        401,
      );
      expect((await raw(secured.port, 'GET', '/tasks', { authorization: 'Basic let-me-in' })).status).toBe(
        401,
      );
    } finally {
      await secured.close();
    }
  });
});

describe('serveControl bounds what a client can make it hold', () => {
  it('answers 429 once a task has maxQueuedBatches runs waiting', async () => {
    for (let i = 0; i < 3; i++)
      expect(
        (await raw(control.port, 'POST', '/tasks/report/run', json, `{"user":"u${String(i)}"}`)).status,
      ).toBe(202);
    const refused = await raw(control.port, 'POST', '/tasks/report/run', json, '{"user":"u3"}');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(String(refused.body.error)).toMatch(/already has 3 runs waiting .*maxQueuedBatches is 3/);
    expect(queued()).toBe(3);
  });

  it("answers 429 with the task's QueueFullError when its own maxBatches is lower", async () => {
    const small = new App();
    small.task({ name: 'tight', start: never, maxBatches: 2 }, () => undefined);
    const server = await serveControl(small, { port: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await raw(server.port, 'POST', '/tasks/tight/run')).status);
      expect(statuses).toEqual([202, 202, 429]);
      const refused = await raw(server.port, 'POST', '/tasks/tight/run');
      expect(refused.headers['retry-after']).toBe('1');
      expect(String(refused.body.error)).toMatch(/already has 2 runs waiting \(its maxBatches is 2\)/);
      expect(small.session.get('tight').batches).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('queues at most 100 runs per task by default', async () => {
    const defaults = await serveControl(app, { port: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++)
        statuses.push((await raw(defaults.port, 'POST', '/tasks/report/run')).status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(100);
      expect(statuses.at(-1)).toBe(429);
      expect(queued()).toBe(100);
    } finally {
      await defaults.close();
    }
  });

  it('answers a deeply nested body with 400 and queues nothing', async () => {
    const deep = `{"user":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const reply = await raw(control.port, 'POST', '/tasks/report/run', json, deep);
    expect(reply.status).toBe(400);
    expect(String(reply.body.error)).toMatch(/nest deeper than 64 levels/);
    expect(queued()).toBe(0);
    const fine = `{"user":${'['.repeat(63)}${']'.repeat(63)}}`;
    expect((await raw(control.port, 'POST', '/tasks/report/run', json, fine)).status).toBe(202);
  });

  it('answers a malformed %-escape in the path with 400', async () => {
    const reply = await raw(control.port, 'GET', '/tasks/%E0%A4%A');
    expect(reply.status).toBe(400);
    expect(String(reply.body.error)).toMatch(/malformed %-escape/);
    expect((await raw(control.port, 'POST', '/tasks/%ZZ/run')).status).toBe(400);
  });

  it('answers a chunked body over the limit with a 413 the client receives', async () => {
    const socket = connect(control.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve, reject) => {
      let data = '';
      socket.on('data', (d: Buffer) => {
        data += d.toString();
        if (data.includes('}')) resolve(data);
      });
      socket.on('error', reject);
      socket.on('close', () => {
        resolve(data);
      });
      socket.write(
        `POST /tasks/report/run HTTP/1.1\r\nhost: ${host()}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n`,
      );
      const chunk = `{"user":"${'x'.repeat(16 * 1024)}`;
      for (let i = 0; i < 8; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      socket.write('0\r\n\r\n');
    });
    socket.destroy();
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('the limit is 65536 bytes');
    expect(queued()).toBe(0);
  });
});

describe('serveControl options', () => {
  it.each([
    ['maxQueuedBatches', -1],
    ['maxEventClients', 1.5],
    ['eventBufferLimit', Number.NaN],
    ['bodyLimit', -5],
  ])('refuses %s = %d', async (name, value) => {
    await expect(serveControl(app, { port: 0, [name]: value })).rejects.toThrow(
      new RegExp(`serveControl ${name}: .* is not valid\\. Expected a whole number, 0 or more`),
    );
  });
});
