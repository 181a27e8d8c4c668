import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** A Redis for the example: `REDIS_URL` when set, else a `redis-server` started here. */
export interface LocalRedis {
  readonly url: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => {
      resolve(false);
    });
  });

/**
 * Uses `REDIS_URL` if set; otherwise starts a throwaway `redis-server` on a free loopback port
 * (no data kept). Returns `undefined` when neither is available, so the example can say so.
 */
export async function localRedis(): Promise<LocalRedis | undefined> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, stop: () => Promise.resolve() };
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let tries = 0; !(await answers(port)); tries++) {
    if (tries > 200 || server.exitCode !== null)
      throw new Error(`redis-server did not start on port ${String(port)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    stop: () =>
      new Promise((resolve) => {
        server.once('exit', () => {
          resolve();
        });
        server.kill('SIGTERM');
      }),
  };
}
