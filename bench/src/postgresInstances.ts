/**
 * Section 11 of bench/RESULTS.md: many instances on one PostgreSQL, beside SQLite and Redis. Run
 * by run.ts through tsx in a process of its own (it uses the test utilities' private servers),
 * or alone: `node --import tsx bench/src/postgresInstances.ts --runs 3`.
 * - Failover: two replicas (packages/postgres/src/fixtures/replica.cjs, `tick` every second,
 *   lease TTL 2 s) on a private PostgreSQL; the leader is SIGKILLed and the time to the standby's
 *   `leadershipAcquired` and to its first run is measured.
 * - Runs per second: 1,000 batches of a no-op task in one process, with `SqliteRunLog`,
 *   `redis()` and `postgres()` (shared log, lease and a fence claim per start), until every run's
 *   end is stored.
 */
import 'reflect-metadata';
import { App, type RunLog } from '@apogee/core';
import { postgres } from '@apogee/postgres';
import { redis } from '@apogee/redis';
import { SqliteRunLog } from '@apogee/sqlite';
import { startPostgres, startRedisServer } from '@apogee/test-utils';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 3) || 3;
const BATCHES = 1000;
const REPLICA = resolve(__dirname, '../../packages/postgres/src/fixtures/replica.cjs');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One failover: ms from SIGKILL to the standby's leadershipAcquired, and to its first run. */
async function failover(url: string, name: string): Promise<{ acquired: number; firstRun: number }> {
  const lines: { type: string; pid: number; at: number }[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, [REPLICA], {
      env: { ...process.env, DATABASE_URL: url, APP_NAME: name, LEASE_TTL: '2 seconds' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      // The replica prints its events as JSON; the app's own log lines share its stdout.
      if (line.startsWith('{')) lines.push(JSON.parse(line) as { type: string; pid: number; at: number });
    });
    children.push(child);
  }
  const { log } = postgres({ url, name });
  try {
    let leader: number | undefined;
    while (leader === undefined) {
      leader = lines.find((l) => l.type === 'leadershipAcquired')?.pid;
      await sleep(20);
    }
    await sleep(3000);
    const killedAt = Date.now();
    children.find((c) => c.pid === leader)?.kill('SIGKILL');
    let acquired: number | undefined;
    let firstRun: number | undefined;
    while (firstRun === undefined) {
      acquired ??= lines.find((l) => l.type === 'leadershipAcquired' && l.pid !== leader)?.at;
      const runs = await log.records({ taskName: 'tick', action: 'success', limit: 5 });
      const next = runs.find((r) => r.returnValue !== leader && r.returnValue !== undefined);
      if (next?.start !== undefined && next.start.getTime() > killedAt) firstRun = next.start.getTime();
      await sleep(20);
    }
    return { acquired: (acquired ?? firstRun) - killedAt, firstRun: firstRun - killedAt };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await log.release?.();
  }
}

type Parts = ReturnType<typeof redis> | ReturnType<typeof postgres>;

/** Runs per second of BATCHES no-op batches, until the log holds every run's end. */
async function throughput(options: { log?: RunLog; parts?: Parts }): Promise<number> {
  const app = new App({ ...(options.log === undefined ? {} : { log: options.log }), ...options.parts });
  app.task({ name: 'noop', maxBatches: BATCHES }, () => undefined);
  const running = app.run({ handleSignals: false });
  while (!app.isLeader) await sleep(5);
  const started = performance.now();
  for (let i = 0; i < BATCHES; i++) app.session.get('noop').run();
  // The BATCHES-th newest success exists once every end is stored: one indexed row per poll, so
  // the polling does not compete with the appends it waits for.
  while (
    (await app.logs.records({ taskName: 'noop', action: 'success', offset: BATCHES - 1, limit: 1 }))
      .length === 0
  )
    await sleep(10);
  const seconds = (performance.now() - started) / 1000;
  await app.shutdown();
  await running;
  return BATCHES / seconds;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const range = (xs: number[], f: (x: number) => string): string =>
  `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;

async function measure(pgUrl: string, redisUrl: string): Promise<string> {
  const failovers: { acquired: number; firstRun: number }[] = [];
  for (let i = 0; i < RUNS; i++) failovers.push(await failover(pgUrl, `failover${String(i)}`));
  const rates: Record<'sqlite' | 'redis' | 'postgres', number[]> = { sqlite: [], redis: [], postgres: [] };
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-bench-'));
    const sqlite = new SqliteRunLog(join(dir, 'runs.db'));
    rates.sqlite.push(await throughput({ log: sqlite }));
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    rates.redis.push(await throughput({ parts: redis({ url: redisUrl, name: `rate${String(i)}` }) }));
    rates.postgres.push(await throughput({ parts: postgres({ url: pgUrl, name: `rate${String(i)}` }) }));
  }
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  return [
    '### 11. Many instances on PostgreSQL: failover and runs per second beside SQLite and Redis',
    '',
    'Run alone with `pnpm bench --only postgres`.',
    '',
    `Failover: two replicas on one local PostgreSQL 15 (private \`initdb\` cluster, \`fsync=off\`), lease TTL 2 s (renewed every 667 ms), \`tick\` due every second; the leader is SIGKILLed. Runs per second: ${String(BATCHES)} queued no-op runs in one process, until every end is stored (polled every 10 ms for the ${String(BATCHES)}th newest success, one indexed row); \`redis()\` and \`postgres()\` add the lease check and a fence claim (one round trip: a Lua script, or one SQL function call) before each start and store each record in one more. Medians of ${String(RUNS)} runs (range).`,
    '',
    '| measurement | value |',
    '| --- | --- |',
    `| SIGKILL → standby's \`leadershipAcquired\`, ms (Postgres) | ${range(
      failovers.map((f) => f.acquired),
      n,
    )} |`,
    `| SIGKILL → first run on the new leader, ms (Postgres) | ${range(
      failovers.map((f) => f.firstRun),
      n,
    )} |`,
    `| runs/s, \`SqliteRunLog\` | ${range(rates.sqlite, n)} |`,
    `| runs/s, \`redis()\` (shared log + lease + fence) | ${range(rates.redis, n)} |`,
    `| runs/s, \`postgres()\` (shared log + lease + fence) | ${range(rates.postgres, n)} |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const pg = await startPostgres();
  const redisServer = await startRedisServer();
  try {
    process.stdout.write(await measure(pg.url, redisServer.url));
  } finally {
    await redisServer.stop();
    await pg.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
