/**
 * Section 9 of bench/RESULTS.md: many instances on one Redis. Run by run.ts in a process of its
 * own (it prints the section as Markdown), or alone: `node bench/dist/manyInstances.js --runs 3`.
 * - Failover: two replicas (packages/redis/src/fixtures/replica.cjs, `tick` every second, lease
 *   TTL 2 s) on a private redis-server; the leader is SIGKILLed and the time to the standby's
 *   `leadershipAcquired` and to its first run is measured.
 * - Runs per second: 1,000 batches of a no-op task in one process, with the in-memory log,
 *   `SqliteRunLog` and `redis()` (shared log, lease and a fence claim per start), until every
 *   run's end is stored.
 */
import 'reflect-metadata';
import { App, MemoryRunLog, type RunLog } from '@apogee/core';
import { redis } from '@apogee/redis';
import { SqliteRunLog } from '@apogee/sqlite';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 3) || 3;
const BATCHES = 1000;
const REPLICA = resolve(__dirname, '../../packages/redis/src/fixtures/replica.cjs');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A private redis-server on a free loopback port, without persistence. */
async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        done(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'apogee-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 500; i++) {
    const up = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        done(true);
      }).on('error', () => {
        done(false);
      });
    });
    if (up) break;
    await sleep(20);
  }
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One failover: ms from SIGKILL to the standby's leadershipAcquired, and to its first run. */
async function failover(url: string, name: string): Promise<{ acquired: number; firstRun: number }> {
  const lines: { type: string; pid: number; at: number }[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const child = spawn(process.execPath, [REPLICA], {
      env: { ...process.env, REDIS_URL: url, APP_NAME: name, LEASE_TTL: '2 seconds' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      // The replica prints its events as JSON; the app's own log lines share its stdout.
      if (line.startsWith('{')) lines.push(JSON.parse(line) as { type: string; pid: number; at: number });
    });
    children.push(child);
  }
  const { log } = redis({ url, name });
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
      const runs = await log.records({ taskName: 'tick', action: 'success' });
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

/** Runs per second of BATCHES no-op batches, until the log holds every run's end. */
async function throughput(options: { log?: RunLog; parts?: ReturnType<typeof redis> }): Promise<number> {
  const app = new App({ ...(options.log === undefined ? {} : { log: options.log }), ...options.parts });
  app.task({ name: 'noop', maxBatches: BATCHES }, () => undefined);
  const running = app.run({ handleSignals: false });
  while (!app.isLeader) await sleep(5);
  const started = performance.now();
  for (let i = 0; i < BATCHES; i++) app.session.get('noop').run();
  while ((await app.logs.records({ taskName: 'noop', action: 'success', limit: BATCHES })).length < BATCHES)
    await sleep(2);
  const seconds = (performance.now() - started) / 1000;
  await app.shutdown();
  await running;
  return BATCHES / seconds;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const range = (xs: number[], f: (x: number) => string): string =>
  `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;

async function main(): Promise<void> {
  const server = await startRedis();
  try {
    const failovers: { acquired: number; firstRun: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      failovers.push(await failover(server.url, `failover${String(i)}`));
    }
    const rates: Record<string, number[]> = { memory: [], sqlite: [], redis: [] };
    for (let i = 0; i < RUNS; i++) {
      rates.memory?.push(await throughput({ log: new MemoryRunLog({ perTask: 3 * BATCHES }) }));
      const dir = mkdtempSync(join(tmpdir(), 'apogee-bench-'));
      const sqlite = new SqliteRunLog(join(dir, 'runs.db'));
      rates.sqlite?.push(await throughput({ log: sqlite }));
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
      rates.redis?.push(await throughput({ parts: redis({ url: server.url, name: `rate${String(i)}` }) }));
    }
    const ms = (x: number): string => Math.round(x).toLocaleString('en-US');
    const perS = (x: number): string => Math.round(x).toLocaleString('en-US');
    process.stdout.write(
      [
        '### 9. Many instances: failover and runs per second with each run log',
        '',
        'Run alone with `pnpm bench --only manyInstances`.',
        '',
        `Failover: two replicas on one local redis-server, lease TTL 2 s (renewed every 667 ms), \`tick\` due every second; the leader is SIGKILLed. Runs per second: ${String(BATCHES)} queued no-op runs in one process, until every end is stored; \`redis()\` adds the lease check and a fence claim (one Lua script round trip) before each start and stores each record with one script. Medians of ${String(RUNS)} runs (range).`,
        '',
        '| measurement | value |',
        '| --- | --- |',
        `| SIGKILL → standby's \`leadershipAcquired\`, ms | ${range(
          failovers.map((f) => f.acquired),
          ms,
        )} |`,
        `| SIGKILL → first run on the new leader, ms | ${range(
          failovers.map((f) => f.firstRun),
          ms,
        )} |`,
        `| runs/s, in-memory log | ${range(rates.memory ?? [], perS)} |`,
        `| runs/s, \`SqliteRunLog\` | ${range(rates.sqlite ?? [], perS)} |`,
        `| runs/s, \`redis()\` (shared log + lease + fence) | ${range(rates.redis ?? [], perS)} |`,
        '',
      ].join('\n'),
    );
  } finally {
    server.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
