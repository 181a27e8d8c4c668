import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { App, ConfigurationError, never } from '@apogee/core';
import { serveControl, type ControlServer } from './index';

/**
 * Connections a client opens and leaves idle: capped, and closed soon. Real sockets; the test
 * waits for what the server does, with no assertion on how fast.
 */
jest.setTimeout(60_000);

let app: App;
let control: ControlServer;

/** A connected socket that sends nothing, with what it receives and whether the server closed it. */
async function idleSocket(
  port: number,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      resolve();
    }),
  );
  await new Promise<void>((resolve) =>
    socket.once('connect', () => {
      resolve();
    }),
  );
  return { socket, received: () => data, closed };
}

function status(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/tasks' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

beforeEach(() => {
  app = new App();
  app.task({ name: 'report', start: never }, () => 'done');
});
afterEach(async () => {
  await control.close();
});

describe('serveControl connections', () => {
  it('closes a connection past maxConnections at once, and idle ones after idleTimeout', async () => {
    control = await serveControl(app, { port: 0, maxConnections: 3, idleTimeout: 300 });
    const idle = await Promise.all([1, 2, 3].map(() => idleSocket(control.port)));
    // The fourth is dropped: closed without an answer, while the three stay open.
    const fourth = await idleSocket(control.port);
    await fourth.closed;
    expect(fourth.received()).toBe('');
    // The idle ones are closed by the server, not by the client.
    await Promise.all(idle.map((s) => s.closed));
    for (const s of idle) expect(s.socket.destroyed).toBe(true);
    // Then a real request gets through.
    expect(await status(control.port)).toBe(200);
  });

  it('answers a request head that never ends with 408 and closes the connection', async () => {
    control = await serveControl(app, { port: 0, idleTimeout: 300 });
    const slow = await idleSocket(control.port);
    slow.socket.write(`GET /tasks HTTP/1.1\r\nhost: 127.0.0.1:${String(control.port)}\r\n`);
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1.1 408/);
  });

  it('closes a kept-alive connection idle for idleTimeout after its answer', async () => {
    control = await serveControl(app, { port: 0, idleTimeout: 300 });
    const kept = await idleSocket(control.port);
    kept.socket.write(`GET /tasks HTTP/1.1\r\nhost: 127.0.0.1:${String(control.port)}\r\n\r\n`);
    await kept.closed;
    expect(kept.received()).toMatch(/^HTTP\/1.1 200/);
  });

  it.each([
    [{ maxConnections: 0 }, /maxConnections/],
    [{ idleTimeout: 1.5 }, /idleTimeout/],
  ])('refuses %p', async (options, message) => {
    const refused = serveControl(app, { port: 0, ...options });
    await expect(refused).rejects.toThrow(ConfigurationError);
    await expect(refused).rejects.toThrow(message);
    control = await serveControl(app, { port: 0 });
  });
});
