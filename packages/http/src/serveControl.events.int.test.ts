import { connect, type Socket } from 'node:net';
import { App, never } from '@apogee/core';
import { serveControl, type ControlServer } from './index';

/** `GET /events` with clients that read, clients that never read, and too many clients. */

/** Each success event carries this; kernel buffers absorb a few MB for a client that does not read. */
const PAYLOAD = 'x'.repeat(300_000);
/** 60 MB: the stalled client must be cut off long before. */
const MAX_RUNS = 200;

let app: App;
let control: ControlServer;
let done: Promise<void>;
const sockets: Socket[] = [];

beforeEach(async () => {
  app = new App();
  app.task({ name: 'big', start: never }, () => PAYLOAD);
  done = app.run({ handleSignals: false });
  control = await serveControl(app, { port: 0, eventBufferLimit: 256 * 1024, maxEventClients: 2 });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await control.close();
  await app.shutdown();
  await done;
});

/** Opens `GET /events` on a raw socket and resolves once the stream is connected. */
function openStream(): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(control.port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      text += d.toString();
      if (text.includes(': connected')) resolve({ socket, received: () => text });
      if (/^HTTP\/1\.1 [45]/.test(text)) reject(new Error(text));
    };
    socket.on('data', onData);
    socket.write(`GET /events HTTP/1.1\r\nhost: 127.0.0.1:${String(control.port)}\r\n\r\n`);
  });
}

describe('serveControl event streams', () => {
  it('disconnects a client that never reads once it holds more than eventBufferLimit, and keeps the others', async () => {
    const stalled = await openStream();
    // From here on the stalled client takes nothing: what the server writes to it piles up.
    stalled.socket.pause();
    const reader = await openStream();
    expect(control.eventClients).toBe(2);
    let seen = 0;
    let pending = '';
    let delivered: (() => void) | undefined;
    reader.socket.on('data', (d: Buffer) => {
      // Count whole events only: a client has an event once its closing blank line arrived. (The
      // stream is chunked, so a block may start with a chunk's size line.)
      const blocks = (pending + d.toString()).split('\n\n');
      pending = blocks.pop() ?? '';
      seen += blocks.filter((b) => /^event: taskSucceeded$/m.test(b)).length;
      delivered?.();
    });
    const big = app.session.get('big');
    // One run at a time, the next once the reading client has the last one's events: it keeps up,
    // as a client in another process would, while the stalled one falls behind by 300 KB a run.
    const runOnce = async (run: number): Promise<void> => {
      const received = new Promise<void>((resolve) => {
        delivered = () => {
          if (seen >= run) resolve();
        };
      });
      big.run();
      await received;
    };
    let runs = 0;
    while (control.eventClients === 2 && runs < MAX_RUNS) await runOnce(++runs);
    expect(control.eventClients).toBe(1);
    // The reading client goes on receiving every event.
    for (let more = 0; more < 5; more++) await runOnce(++runs);
    expect(seen).toBe(runs);
    expect(runs).toBeLessThan(MAX_RUNS);
    expect(control.eventClients).toBe(1);
    expect(reader.socket.destroyed).toBe(false);
  }, 30_000);

  it('answers 503 beyond maxEventClients', async () => {
    await openStream();
    await openStream();
    const refused = await fetch(`${control.url}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many event streams \(2/);
    expect(control.eventClients).toBe(2);
  });
});
