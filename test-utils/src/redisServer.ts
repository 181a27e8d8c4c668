import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

/** A `redis-server` this test started, on a free loopback port, with its data in a temp dir. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Its working directory (append-only file and dump), removed by `stop()`. */
  readonly dir: string;
  /** Stops it (SIGKILL when `hard`, else a clean SHUTDOWN that saves) and keeps its data. */
  halt(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port with the same data, after `halt()`. */
  resume(): Promise<void>;
  /** `halt()` then `resume()`: a restart under running clients. */
  restart(options?: { hard?: boolean }): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * Starts a private `redis-server` for one test file. Nothing is shared: each call gets its own
 * port and directory, and the data survives `restart()` (append-only file, fsync on every
 * write), as a production Redis with persistence would. With `{ persistence: false }` it keeps
 * neither AOF nor RDB, so `restart()` brings it back empty.
 *
 * @throws when `redis-server` is not installed, naming the command that installs it.
 */
export async function startRedisServer(
  options: { readonly persistence?: boolean } = {},
): Promise<RedisServer> {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error !== undefined || found.status !== 0) {
    throw new Error(
      'redis-server is not installed; the Redis tests start their own server. Install it with ' +
        '`apt-get install -y redis-server` (scripts/system-deps.sh does this as root).',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'apogee-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        options.persistence === false ? 'no' : 'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'yes',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child = started;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await answersPing(port))) {
      if (started.exitCode !== null) {
        throw new Error(
          `redis-server on port ${String(port)} exited (${String(started.exitCode)}): ${stderr}`,
        );
      }
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(
          `redis-server on port ${String(port)} did not answer PING in ${String(READY_TIMEOUT_MS)} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const halt = async (options: { hard?: boolean } = {}): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      running.once('exit', () => {
        resolve();
      }),
    );
    running.kill(options.hard === true ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${String(port)}`,
    dir,
    halt,
    resume: launch,
    restart: async (options) => {
      await halt(options);
      await launch();
    },
    stop: async () => {
      await halt({ hard: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a server on `port` answers `PING` (raw RESP, so this helper needs no client library). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
