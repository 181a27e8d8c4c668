import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TcpProxy } from './TcpProxy';
import { waitFor } from './waitFor';

jest.setTimeout(30_000);

let echo: Server;
let proxy: TcpProxy;

beforeEach(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) =>
    echo.listen(0, '127.0.0.1', () => {
      resolve();
    }),
  );
  proxy = await TcpProxy.start((echo.address() as AddressInfo).port);
});
afterEach(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** A client of the echo server through the proxy, with everything it has received. */
async function client(): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  const socket = connect(proxy.port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => received, closed: () => closed };
}

describe('TcpProxy', () => {
  it('passes bytes both ways, holds them with the socket open, then lets them through in order', async () => {
    const c = await client();
    c.socket.write('a');
    await waitFor('the echo', () => c.received() === 'a');
    proxy.hold();
    c.socket.write('b');
    c.socket.write('c');
    // Held: nothing comes back while the echo of "a" proves the link otherwise works.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.received()).toBe('a');
    expect(c.closed()).toBe(false);
    proxy.pass();
    await waitFor('the held bytes', () => c.received() === 'abc');
    c.socket.destroy();
  });

  it('delays each chunk without reordering, and releases delayed chunks at once on pass()', async () => {
    const c = await client();
    proxy.delay(60_000);
    c.socket.write('x');
    c.socket.write('y');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.received()).toBe('');
    proxy.pass();
    await waitFor('the delayed bytes', () => c.received() === 'xy');
    c.socket.destroy();
  });

  it('cuts open connections and still accepts new ones', async () => {
    const c = await client();
    proxy.cut();
    await waitFor('the cut', () => c.closed());
    const d = await client();
    d.socket.write('z');
    await waitFor('the echo on a new connection', () => d.received() === 'z');
    d.socket.destroy();
  });
});
