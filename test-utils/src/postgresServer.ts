import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

/** A PostgreSQL server this test started, on a free loopback port, with its data in a temp dir. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  /** Its data directory, removed by `stop()`. */
  readonly dir: string;
  /** Stops it (immediate shutdown when `hard`, else a fast one) and keeps its data. */
  halt(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port with the same data, after `halt()`. */
  resume(): Promise<void>;
  /** `halt()` then `resume()`: a restart under running clients. */
  restart(options?: { hard?: boolean }): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** The directory of the newest installed PostgreSQL's programs (`initdb`, `pg_ctl`), if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : join(root, versions[0] as string, 'bin');
}

/**
 * Starts a private PostgreSQL for one test file: `initdb` in a temp dir, then `pg_ctl start` on
 * a free loopback port, with trust authentication for loopback connections only. PostgreSQL
 * refuses to run as root, so as root the directory is given to the `postgres` user and the
 * programs run as that user. The data survives `restart()`.
 *
 * @throws when PostgreSQL is not installed, naming the command that installs it.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) {
    throw new Error(
      'PostgreSQL is not installed; the Postgres tests start their own server. Install it with ' +
        '`apt-get install -y postgresql` (scripts/system-deps.sh does this as root).',
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'apogee-postgres-'));
  const dir = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(root, ...postgresIds());
  const run = (program: string, args: string[]): SpawnSyncReturns<string> =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, program), ...args], { encoding: 'utf8' })
      : spawnSync(join(bin, program), args, { encoding: 'utf8' });
  const init = run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${String(init.status)}): ${init.stderr}`);
  }
  // Loopback only, trust: no password in any URL, and nothing reachable from outside.
  writeFileSync(
    join(dir, 'pg_hba.conf'),
    'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust\n',
  );
  const port = await freePort();
  const options = `-p ${String(port)} -h 127.0.0.1 -k ${root} -c fsync=off -c max_connections=200`;

  const launch = async (): Promise<void> => {
    const started = run('pg_ctl', ['-D', dir, '-l', join(root, 'log'), '-o', options, '-w', 'start']);
    if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stderr}${started.stdout}`);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(port))) {
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL on port ${String(port)} did not accept connections`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const halt = async (options: { hard?: boolean } = {}): Promise<void> => {
    await new Promise<void>((resolve) => {
      const args = ['-D', dir, '-m', options.hard === true ? 'immediate' : 'fast', '-w', 'stop'];
      const child = asRoot
        ? spawn('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' })
        : spawn(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
      child.once('exit', () => {
        resolve();
      });
      child.once('error', () => {
        resolve();
      });
    });
  };

  await launch();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${String(port)}/postgres`,
    dir,
    halt,
    resume: launch,
    restart: async (options) => {
      await halt(options);
      await launch();
    },
    stop: async () => {
      await halt({ hard: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The uid and gid of the `postgres` system user (made by the postgresql package). */
function postgresIds(): [number, number] {
  const found = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (found.status !== 0 || group.status !== 0) {
    throw new Error(
      'Running as root, but there is no `postgres` user to run PostgreSQL as (it refuses root). ' +
        'Install the server with `apt-get install -y postgresql`, which creates that user.',
    );
  }
  return [Number(found.stdout.trim()), Number(group.stdout.trim())];
}

/** Whether something accepts TCP connections on `port` (pg_ctl -w has already waited for readiness). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
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
    socket.once('connect', () => {
      done(true);
    });
  });
}
