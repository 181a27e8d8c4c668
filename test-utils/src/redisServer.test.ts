import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { startRedisServer } from './redisServer';

/** Sends one raw RESP command and returns the first reply line. */
function send(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const end = reply.indexOf('\r\n', reply.startsWith('$') ? reply.indexOf('\r\n') + 2 : 0);
      if (end >= 0) {
        socket.destroy();
        resolve(reply.slice(0, end));
      }
    });
  });
}

describe('startRedisServer', () => {
  it('starts a private server whose data survives a restart, and removes it on stop', async () => {
    const server = await startRedisServer();
    try {
      expect(server.url).toBe(`redis://127.0.0.1:${String(server.port)}`);
      expect(await send(server.port, 'SET apogee:probe kept')).toBe('+OK');
      await server.restart({ hard: true });
      expect(await send(server.port, 'GET apogee:probe')).toBe('$4\r\nkept');
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
  }, 60_000);
});
