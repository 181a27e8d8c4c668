import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { App, ConfigurationError, never } from '@apogee/core';
import { createControlHandler, type ControlHandler, type ControlHandlerOptions } from './index';

/**
 * The control API mounted under a prefix in a plain node:http server of the test's own, which
 * answers everything else itself. Every request goes through a real socket.
 */

interface Reply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

let app: App;
let server: Server;
let handler: ControlHandler;

/** Mounts a handler under /apogee in a server bound to `host`; other paths answer "the app". */
async function mount(options: ControlHandlerOptions, host = '127.0.0.1'): Promise<number> {
  handler = createControlHandler(app, { path: '/apogee', ...options });
  server = createServer((req, res) => {
    handler(req, res, () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('the app');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

/** A request with exactly the headers given, to `address` (loopback by default). */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  address = '127.0.0.1',
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: address, port, method, path, headers: { host: `localhost:${String(port)}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeEach(() => {
  app = new App();
  app.task({ name: 'report', start: never }, () => 'done');
});
afterEach(async () => {
  await handler.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createControlHandler under /apogee in a node:http server', () => {
  it('serves the API and the dashboard under the prefix and leaves every other path to the server', async () => {
    const port = await mount({});
    const tasks = await raw(port, 'GET', '/apogee/tasks');
    expect(tasks.status).toBe(200);
    expect((JSON.parse(tasks.text) as { name: string }[]).map((t) => t.name)).toEqual(['report']);
    const list = await raw(port, 'GET', '/apogee');
    expect(JSON.parse(list.text)).toEqual({
      endpoints: expect.arrayContaining(['GET /tasks', 'GET /events']) as unknown,
    });
    expect((await raw(port, 'GET', '/apogee/nope')).status).toBe(404);
    expect((await raw(port, 'GET', '/elsewhere')).text).toBe('the app');
    expect((await raw(port, 'GET', '/apogeeX/tasks')).text).toBe('the app');
    // The page links its files under the prefix, and they are served there.
    const page = await raw(port, 'GET', '/apogee/', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/apogee/dashboard/app.js"');
    expect(page.text).toContain('href="/apogee/dashboard/vendor/uPlot.min.css"');
    expect(page.text).not.toMatch(/(href|src)="\/dashboard\//);
    for (const file of ['app.js', 'api.js', 'dashboard.css', 'vendor/uPlot.esm.js']) {
      expect((await raw(port, 'GET', `/apogee/dashboard/${file}`)).status).toBe(200);
    }
    expect((await raw(port, 'GET', '/dashboard/app.js')).text).toBe('the app');
  });

  it('answers 404 outside its path when no next() is given', async () => {
    handler = createControlHandler(app, { path: '/apogee/' });
    server = createServer((req, res) => {
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    expect((await raw(port, 'GET', '/tasks')).status).toBe(404);
    expect((await raw(port, 'GET', '/apogee/tasks')).status).toBe(200);
  });

  it('requires the token for the API, not for the page', async () => {
    const port = await mount({ token: 'let-me-in' });
    const refused = await raw(port, 'GET', '/apogee/tasks');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((await raw(port, 'GET', '/apogee/tasks', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await raw(port, 'GET', '/apogee/tasks', { authorization: 'Bearer let-me-in' })).status).toBe(200);
    expect((await raw(port, 'GET', '/apogee/dashboard/')).status).toBe(200);
  });

  it('without a token, serves only requests made on this machine: not relayed by a proxy, not from the network', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4');
    const port = await mount({}, '0.0.0.0');
    expect((await raw(port, 'GET', '/apogee/tasks')).status).toBe(200);
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const relayed = await raw(port, 'GET', '/apogee/tasks', { [header]: '203.0.113.9' });
      expect(relayed.status).toBe(401);
      expect(relayed.text).toMatch(/no token.*set a token/);
    }
    // This machine's own network address is not loopback: that request could come from anywhere.
    if (external === undefined) throw new Error('This test needs a non-loopback IPv4 interface.');
    const address = external.address;
    const network = await raw(port, 'GET', '/apogee/tasks', { host: `${address}:${String(port)}` }, address);
    expect(network.status).toBe(401);
    // The page is no secret.
    expect(
      (await raw(port, 'GET', '/apogee/dashboard/', { host: `${address}:${String(port)}` }, address)).status,
    ).toBe(200);
  });

  it('applies the Host and Origin rules', async () => {
    const port = await mount({ allowedHosts: ['control.example'] });
    expect((await raw(port, 'GET', '/apogee/tasks', { host: 'evil.example' })).status).toBe(403);
    expect((await raw(port, 'GET', '/apogee/tasks', { host: `localhost:${String(port + 1)}` })).status).toBe(
      403,
    );
    expect((await raw(port, 'GET', '/apogee/tasks', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await raw(port, 'GET', '/apogee/tasks', { host: 'control.example' })).status).toBe(200);
    expect((await raw(port, 'GET', '/apogee/tasks', { host: `127.0.0.1:${String(port)}` })).status).toBe(200);
  });

  it('refuses an absolute-form request target that falls under its path', async () => {
    const port = await mount({});
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => {
        resolve(data);
      });
      socket.write(
        `GET http://evil.example/apogee/tasks HTTP/1.1\r\nhost: localhost:${String(port)}\r\nconnection: close\r\n\r\n`,
      );
    });
    expect(reply).toMatch(/^HTTP\/1.1 400/);
    expect(reply).toContain('must be a path');
  });

  it('ends its event streams on close() and answers 503 after it, while the server stays up', async () => {
    const port = await mount({});
    const ended = new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port, path: '/apogee/events', headers: { host: `localhost:${String(port)}` } },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        },
      )
        .on('error', reject)
        .end();
    });
    while (handler.eventClients === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await handler.close();
    expect(await ended).toBe(200);
    expect(handler.eventClients).toBe(0);
    expect((await raw(port, 'GET', '/apogee/tasks')).status).toBe(503);
    expect((await raw(port, 'GET', '/other')).text).toBe('the app');
  });

  it('takes a body that a framework in front has already parsed (as Express and Nest do)', async () => {
    handler = createControlHandler(app, { path: '/apogee', bodyLimit: 64 });
    server = createServer((req, res) => {
      // What express.json() does: read the body, parse it, leave it in req.body.
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        (req as { body?: unknown }).body = text === '' ? {} : JSON.parse(text);
        handler(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const post = (body: string): Promise<Reply> =>
      raw(
        port,
        'POST',
        '/apogee/tasks/report/run',
        { 'content-type': 'application/json' },
        '127.0.0.1',
        body,
      );
    const queued = await post('{"user":"ada"}');
    expect(queued.status).toBe(202);
    expect(JSON.parse(queued.text)).toMatchObject({ task: 'report', parameters: { user: 'ada' } });
    expect((await post('[1]')).status).toBe(400);
    expect((await post(JSON.stringify({ blob: 'x'.repeat(100) }))).status).toBe(413);
    expect(app.session.get('report').batches).toHaveLength(1);
  });

  it.each(['apogee', '/a b', '/../x', '/<script>'])('refuses the path %p', (path) => {
    expect(() => createControlHandler(app, { path })).toThrow(ConfigurationError);
  });
});
