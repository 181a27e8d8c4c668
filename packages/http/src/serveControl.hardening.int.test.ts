import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, never } from '@apogee/core';
import { DashboardAssets } from './DashboardAssets';
import { serveControl, type ControlServer } from './index';

/** The edges of the HTTP server a security review found open: caching, request targets, symlinks. */

let app: App;
let control: ControlServer;

interface Reply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** Sends `head` on a raw socket and returns everything the server answers until it closes. */
function rawExchange(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('end', () => {
      resolve(data);
    });
    socket.on('error', reject);
    socket.write(head);
  });
}

beforeEach(async () => {
  app = new App();
  app.task({ name: 'report', start: never }, () => 'done');
  control = await serveControl(app, { port: 0, token: 'let-me-in' });
});
afterEach(async () => {
  await control.close();
});

describe('serveControl hardening', () => {
  it('answers JSON with Cache-Control: no-store and X-Content-Type-Options: nosniff, errors included', async () => {
    const auth = { authorization: 'Bearer let-me-in' };
    for (const [path, headers, status] of [
      ['/tasks', auth, 200],
      ['/tasks/nope', auth, 404],
      ['/tasks', {}, 401],
      ['/', auth, 200],
    ] as const) {
      const reply = await get(control.port, path, headers);
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses an absolute-form request target, whatever its Host', async () => {
    const port = String(control.port);
    for (const target of ['http://evil.example/tasks', `http://127.0.0.1:${port}/tasks`, '*']) {
      const reply = await rawExchange(
        control.port,
        `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer let-me-in\r\nconnection: close\r\n\r\n`,
      );
      expect(reply).toMatch(/^HTTP\/1.1 400/);
      expect(reply).not.toContain('"name":"report"');
    }
    // A path that looks like an authority stays a path.
    const reply = await get(control.port, '//evil.example/tasks', {
      host: `127.0.0.1:${port}`,
      authorization: 'Bearer let-me-in',
    });
    expect(reply.status).toBe(404);
  });
});

describe('the dashboard files', () => {
  it('does not follow a symbolic link placed in the dashboard folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-dashboard-'));
    const outside = mkdtempSync(join(tmpdir(), 'apogee-secret-'));
    try {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>page</title>');
      writeFileSync(join(dir, 'app.js'), 'export {};');
      writeFileSync(join(outside, 'secret.js'), 'const password = "hunter2";');
      symlinkSync(join(outside, 'secret.js'), join(dir, 'leak.js'));
      symlinkSync(join(outside, 'secret.js'), join(dir, 'index2.html'));
      const assets = new DashboardAssets('', dir);
      const server = createServer((req, res) => {
        if (!assets.serve(req, res, req.url ?? '/')) {
          res.writeHead(404);
          res.end('not an asset');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        expect((await get(port, '/dashboard/app.js')).status).toBe(200);
        expect((await get(port, '/dashboard/')).text).toContain('<title>page</title>');
        for (const path of ['/dashboard/leak.js', '/dashboard/index2.html']) {
          const reply = await get(port, path);
          expect(reply.status).toBe(404);
          expect(reply.text).not.toContain('hunter2');
        }
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
