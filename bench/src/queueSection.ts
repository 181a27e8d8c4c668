/**
 * Section 10 of bench/RESULTS.md: execution `'queue'` (`@apogee/bullmq`) beside plain BullMQ on
 * the same local `redis-server`: throughput of no-op runs with 1, 2 and 4 worker processes, and
 * the delay from a run's due second to its start on a worker, Apogee's `cron('* * * * * *')`
 * beside BullMQ's own `upsertJobScheduler` with the same pattern. Every process is fresh.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const WORKER_COUNTS = [1, 2, 4] as const;
/** No-op runs per throughput measurement. */
const RUNS_PER_MEASURE = 2000;
/** Concurrency of each worker process. */
const CONCURRENCY = 4;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });

/** Starts a process of queueProcess.ts; `lines` collects what it prints. */
function start(
  dist: string,
  args: string[],
): { child: ChildProcess; lines: string[]; exited: Promise<void> } {
  const child = spawn(process.execPath, [join(dist, 'queueProcess.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  if (child.stdout !== null) createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return { child, lines, exited };
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`queue bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] ?? NaN);
};
const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

/** Runs `leaderRole` against `workers` processes of `workerRole`; returns the leader's JSON and the workers' lines. */
async function measure(
  dist: string,
  url: string,
  name: string,
  workerRole: string,
  workers: number,
  leaderRole: string,
  amount: number,
): Promise<{ result: Record<string, number>; workerLines: string[] }> {
  const started = Array.from({ length: workers }, () =>
    start(dist, [workerRole, url, name, '0', String(CONCURRENCY)]),
  );
  await until('the workers', () => started.every((w) => w.lines.includes('ready')));
  const leader = start(dist, [leaderRole, url, name, String(amount)]);
  const timer = setTimeout(() => leader.child.kill('SIGKILL'), 600_000);
  await leader.exited;
  clearTimeout(timer);
  for (const w of started) w.child.kill('SIGTERM');
  await Promise.all(started.map((w) => w.exited));
  const last = leader.lines.at(-1) ?? '{}';
  return {
    result: JSON.parse(last) as Record<string, number>,
    workerLines: started.flatMap((w) => w.lines),
  };
}

/** The section's markdown and its figures. */
export async function queueSection(options: {
  readonly dist: string;
  readonly runs: number;
  readonly seconds: number;
}): Promise<{ markdown: string; json: Record<string, unknown> }> {
  if (spawnSync('redis-server', ['--version']).status !== 0)
    return { markdown: '### 10. Queue execution\n\nNot measured: redis-server is not installed.', json: {} };
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${String(port)}`;
  await new Promise((resolve) => setTimeout(resolve, 500));
  let queueNumber = 0;
  const next = (): string => `bench-${String(++queueNumber)}`;
  try {
    const throughput: {
      workers: number;
      apogee: number[];
      bullmq: number[];
      apogeeCpu: number[];
      bullmqCpu: number[];
    }[] = [];
    for (const workers of WORKER_COUNTS) {
      const row = {
        workers,
        apogee: [] as number[],
        bullmq: [] as number[],
        apogeeCpu: [] as number[],
        bullmqCpu: [] as number[],
      };
      for (let run = 0; run < options.runs; run++) {
        process.stderr.write(
          `  queue throughput, ${String(workers)} worker(s), run ${String(run + 1)}/${String(options.runs)}\n`,
        );
        const a = await measure(
          options.dist,
          url,
          next(),
          'apogee-worker',
          workers,
          'apogee-throughput',
          RUNS_PER_MEASURE,
        );
        row.apogee.push(a.result.perSecond ?? NaN);
        row.apogeeCpu.push(a.result.cpuMicrosPerRun ?? NaN);
        const b = await measure(
          options.dist,
          url,
          next(),
          'bullmq-worker',
          workers,
          'bullmq-throughput',
          RUNS_PER_MEASURE,
        );
        row.bullmq.push(b.result.perSecond ?? NaN);
        row.bullmqCpu.push(b.result.cpuMicrosPerRun ?? NaN);
      }
      throughput.push(row);
    }
    const delays = { apogee: [] as number[], bullmq: [] as number[] };
    for (let run = 0; run < options.runs; run++) {
      process.stderr.write(`  queue delay, run ${String(run + 1)}/${String(options.runs)}\n`);
      for (const [kind, key] of [
        ['apogee', 'apogee'],
        ['bullmq', 'bullmq'],
      ] as const) {
        const { workerLines } = await measure(
          options.dist,
          url,
          next(),
          `${kind}-worker`,
          1,
          `${kind}-cron`,
          options.seconds,
        );
        delays[key].push(...workerLines.flatMap((l) => (l.startsWith('delay ') ? [Number(l.slice(6))] : [])));
      }
    }
    const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(x >= 100 ? 0 : 1) : '–');
    const lines = [
      '### 10. Queue execution (`@apogee/bullmq`) beside plain BullMQ, one local redis-server',
      '',
      `Throughput: ${String(RUNS_PER_MEASURE)} no-op runs queued at once, each worker process with concurrency ${String(CONCURRENCY)}; Apogee's leader (a process of its own, no worker) resolves, dispatches and records every run (\`run\` and \`success\` records, events); plain BullMQ adds ${String(RUNS_PER_MEASURE)} jobs and counts completed events. Median of ${String(options.runs)} run(s), runs per second; beside it the leader's (or producer's) own CPU time per run, which a loaded machine disturbs less.`,
      '',
      '| worker processes | Apogee `queue` runs/s | plain BullMQ jobs/s | Apogee / BullMQ | Apogee leader CPU µs/run | BullMQ producer CPU µs/run |',
      '| ---------------- | --------------------- | ------------------- | --------------- | ------------------------ | -------------------------- |',
      ...throughput.map((r) => {
        const a = median(r.apogee);
        const b = median(r.bullmq);
        return `| ${String(r.workers)} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)}× | ${fmt(median(r.apogeeCpu))} | ${fmt(median(r.bullmqCpu))} |`;
      }),
      '',
      `Delay from the due second to the start on a worker, a task due every second for ${String(options.seconds)} s (${String(options.runs)} run(s)): Apogee \`cron('* * * * * *')\` with \`execution: 'queue'\` beside BullMQ's \`upsertJobScheduler\` with the pattern \`* * * * * *\`, one worker process each.`,
      '',
      '| scheduler | runs | median ms | p99 ms | overhead vs BullMQ (median) |',
      '| --------- | ---- | --------- | ------ | --------------------------- |',
      `| Apogee \`queue\` | ${String(delays.apogee.length)} | ${fmt(median(delays.apogee))} | ${fmt(percentile(delays.apogee, 0.99))} | ${(median(delays.apogee) / median(delays.bullmq)).toFixed(2)}× |`,
      `| BullMQ job scheduler | ${String(delays.bullmq.length)} | ${fmt(median(delays.bullmq))} | ${fmt(percentile(delays.bullmq, 0.99))} | 1× |`,
    ];
    return { markdown: lines.join('\n'), json: { throughput, delays } };
  } finally {
    redis.kill('SIGTERM');
  }
}
