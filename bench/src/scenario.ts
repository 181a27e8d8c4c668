/**
 * One measurement in a fresh process: `tsx src/scenario.ts <scenario> <lib> [key=value ...]`.
 * Prints one JSON object. Timer callbacks are counted by wrapping the global timer functions
 * before any scheduler library is loaded, so every library is measured the same way.
 */
import 'reflect-metadata';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { quiesce } from './quiesce';
import { profileWindow } from './windowProfile';

let wakeups = 0;
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
  realSetTimeout(
    (...a: unknown[]) => {
      wakeups++;
      fn(...a);
    },
    ms,
    ...args,
  )) as typeof setTimeout;
globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
  realSetInterval(
    (...a: unknown[]) => {
      wakeups++;
      fn(...a);
    },
    ms,
    ...args,
  )) as typeof setInterval;

const [scenario = '', lib = '', ...rest] = process.argv.slice(2);
const opts = Object.fromEntries(rest.map((kv) => kv.split('=') as [string, string]));
const n = Number(opts.n ?? 0);
const noop = (): void => undefined;
const sleep = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));
const gc = (): void => {
  (globalThis as { gc?: () => void }).gc?.();
};
/** An hour that is not now, so nothing is due during the measurement. */
const farHour = (new Date().getUTCHours() + 12) % 24;
const farCron = `0 ${farHour} * * *`;

/** `conditionFailed` events of the hung condition (`hang=1`), reported by the latency scenario. */
let conditionFailures = 0;

interface Scheduled {
  stop(): Promise<void> | void;
}

/** Schedules `count` jobs with `expression` in `lib`, each calling `fn`; with `hang`, beside a condition that never settles (Apogee). */
async function schedule(
  which: string,
  count: number,
  expression: string,
  fn: () => void,
  pattern = 'cron',
  hang = false,
): Promise<Scheduled> {
  switch (which) {
    case 'apogee': {
      const { App, cond, cron, daily } = await import('@apogee/core');
      const app = new App({ config: { timezone: 'UTC', preciseTiming: opts.precise === '1' } });
      const start =
        pattern === 'daily' ? daily.at(`${String(farHour).padStart(2, '0')}:00`) : cron(expression);
      for (let i = 0; i < count; i++) app.task({ name: `t${i}`, start }, fn);
      if (hang) {
        // The fault of section 8: a custom condition whose check never settles, deciding a task
        // of its own. Each check is given up after config.conditionTimeout (10 s).
        app.cond({ name: 'hangs' }, () => new Promise<boolean>(() => undefined));
        app.task({ name: 'waits on hangs', start: cond('hangs') }, noop);
        app.events.subscribe((e) => {
          if (e.type === 'conditionFailed') conditionFailures++;
        });
      }
      const done = app.run({ handleSignals: false });
      return {
        stop: async () => {
          await app.shutdown();
          await done;
        },
      };
    }
    case 'croner': {
      const { Cron } = await import('croner');
      const jobs = Array.from({ length: count }, () => new Cron(expression, { timezone: 'UTC' }, fn));
      return {
        stop: () => {
          for (const j of jobs) j.stop();
        },
      };
    }
    case 'node-cron': {
      const nodeCron = (await import('node-cron')).default;
      const jobs = Array.from({ length: count }, () =>
        nodeCron.schedule(expression, fn, { timezone: 'UTC' }),
      );
      return {
        stop: () => {
          for (const j of jobs) void j.stop();
        },
      };
    }
    case 'cron': {
      const { CronJob } = await import('cron');
      const jobs = Array.from({ length: count }, () =>
        CronJob.from({ cronTime: expression, onTick: fn, start: true, timeZone: 'UTC' }),
      );
      return {
        stop: () => {
          for (const j of jobs) void j.stop();
        },
      };
    }
    case 'toad-scheduler': {
      const { ToadScheduler, CronJob, Task } = await import('toad-scheduler');
      const scheduler = new ToadScheduler();
      for (let i = 0; i < count; i++)
        scheduler.addCronJob(
          new CronJob({ cronExpression: expression, timezone: 'UTC' }, new Task(`t${i}`, fn)),
        );
      return {
        stop: () => {
          scheduler.stop();
        },
      };
    }
    default:
      throw new Error(`unknown library ${which}`);
  }
}

async function idle(): Promise<object> {
  const jobs = await schedule(lib, n, farCron, noop, opts.pattern ?? 'cron');
  // Let start-up finish (V8 compiles and collects on background threads, which cpuUsage counts).
  await sleep(Number(opts.settle ?? 3000));
  // Up to 30 s: the memory reducer's collections came 8 to 21 s after the forced GC on this VM
  // (`node --trace-gc`); a cap below that lets them land in the window.
  const watch = await quiesce(gc, sleep, Number(opts.quiesce ?? 30_000));
  const seconds = Number(opts.seconds ?? 10);
  watch.open();
  const cpu0 = process.cpuUsage();
  const wake0 = wakeups;
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  await sleep(0); // let the observer deliver the window's last entries
  watch.stop();
  const result = { cpuMs: (cpu.user + cpu.system) / 1000, gcMs: watch.gcMs(), wakeups: wakeups - wake0 };
  await jobs.stop();
  return result;
}

/** Loads `which`'s modules: a heap baseline taken after them counts what the tasks hold, not the library's code. */
async function load(which: string): Promise<void> {
  const modules: Record<string, () => Promise<unknown>> = {
    apogee: () => import('@apogee/core'),
    croner: () => import('croner'),
    'node-cron': () => import('node-cron'),
    cron: () => import('cron'),
    'toad-scheduler': () => import('toad-scheduler'),
  };
  await modules[which]?.();
}

async function heap(): Promise<object> {
  // The library is loaded before the baseline: its code and module sources (about 4 MB for
  // Apogee, 400 B a task at N = 10,000) do not grow with the number of tasks.
  await load(lib);
  // With `breakdown=1`, heap snapshots taken before scheduling and after the measurement say
  // what holds the bytes; the first is taken before `before`, so it is collected by then.
  const held = opts.breakdown === '1' ? heldBytes() : undefined;
  gc();
  await sleep(50);
  gc();
  const before = process.memoryUsage().heapUsed;
  const jobs = await schedule(lib, n, farCron, noop, opts.pattern ?? 'cron');
  await sleep(200);
  gc();
  await sleep(50);
  gc();
  const after = process.memoryUsage().heapUsed;
  const result: Record<string, unknown> = { bytesPerTask: (after - before) / n };
  if (held !== undefined) result.breakdown = perTask(held, heldBytes());
  await jobs.stop();
  return result;
}

/** Self bytes in the heap by what holds them: an object's constructor, else V8's kind of node. */
function heldBytes(): Map<string, number> {
  gc();
  const snapshot = JSON.parse(readHeapSnapshot()) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const bytes = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + (typeAt as number)] as number] ?? '?';
    const name = snapshot.strings[snapshot.nodes[i + (nameAt as number)] as number] ?? '?';
    const key =
      type === 'object' || type === 'native'
        ? name
        : type === 'array' || type === 'hidden' || type === 'code'
          ? `(${type}) ${name.slice(0, 40)}`
          : `(${type})`;
    bytes.set(key, (bytes.get(key) ?? 0) + (snapshot.nodes[i + (sizeAt as number)] as number));
  }
  return bytes;
}

/** Bytes per task held by each key that grew by at least 2 B per task, largest first. */
function perTask(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...after]
      .map(([key, b]): [string, number] => [key, (b - (before.get(key) ?? 0)) / n])
      .filter(([, b]) => b >= 2)
      .sort((x, y) => y[1] - x[1]),
  );
}

function readHeapSnapshot(): string {
  const path = join(tmpdir(), `apogee-bench-${process.pid}.heapsnapshot`);
  writeHeapSnapshot(path);
  const text = readFileSync(path, 'utf8');
  rmSync(path);
  return text;
}

async function latency(): Promise<object> {
  const seconds = Number(opts.seconds ?? 10);
  const warmup = Number(opts.warmup ?? 45);
  const idleJobs = n > 0 ? await schedule(lib, n, farCron, noop) : undefined;
  // Fires are timed on performance.now() and converted to the wall clock (Date.now(), which
  // every scheduler reads) afterwards. On this VM the two clocks drift apart by up to a
  // millisecond within half a second, so each round is converted with offsets measured just
  // before and just after it (at a millisecond edge of Date.now()), interpolated.
  const offsets = new Map<number, { at: number; offset: number }[]>();
  // The edge is found by spinning on Date.now(), which allocates (a boxed number per read until
  // the loop is optimized). Sleeping until just before the edge predicted from the previous
  // calibration shortens that spin whenever the prediction holds (the clocks drift, so it
  // does not always), and so the garbage the measurement adds to the process it measures.
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  let estimate: number | undefined;
  const calibrate = (second: number): void => {
    let edge = Date.now();
    if (estimate !== undefined) {
      const wait = edge + 1 - estimate - performance.now() - 0.1;
      if (wait > 0) Atomics.wait(sleeper, 0, 0, wait);
      edge = Date.now();
    }
    while (Date.now() === edge);
    estimate = Date.now() - performance.now();
    const list = offsets.get(second) ?? [];
    list.push({ at: performance.now(), offset: Date.now() - performance.now() });
    offsets.set(second, list);
  };
  let calibrating = true;
  const around = (): void => {
    if (!calibrating) return;
    const now = Date.now();
    const nextSecond = Math.ceil((now + 20) / 1000) * 1000;
    realSetTimeout(
      () => {
        calibrate(nextSecond);
        realSetTimeout(() => {
          calibrate(nextSecond);
          around();
        }, 45);
      },
      nextSecond - 15 - now,
    );
  };
  around();
  // Event-loop blocking: a 1 ms interval records when the loop gets to it. The longest gap
  // between two of its ticks around a due instant is how long the loop was unavailable there
  // (1 ms when nothing blocks it: the interval itself). Preallocated: the probe adds no garbage.
  const ticks = new Float64Array((warmup + seconds + 10) * 1100);
  let tickCount = 0;
  const probe = realSetInterval(() => {
    if (tickCount < ticks.length) ticks[tickCount++] = performance.now();
  }, 1);
  const fires: number[] = [];
  const fire = (): void => {
    fires.push(performance.now());
  };
  const jobs = await schedule(lib, 50, '* * * * * *', fire, 'cron', opts.hang === '1');
  // Two windows of `seconds` each, the same for every library. "Cold" starts at the first full
  // second (Apogee's cron, like Rocketry's, also runs once in the slot it starts in, which is a
  // catch-up, not a late fire). "Warm" starts after `warmup` seconds: in its first minute a
  // process still compiles its hot functions (each optimizing compile takes a core for 1-10 ms,
  // and on this 2-core VM a second busy thread stalls the first for 1-4 ms) and V8's memory
  // reducer runs its start-up collections. The warm window is the steady state a long-running
  // scheduler lives in; the cold one is reported beside it.
  const first = Math.ceil((Date.now() + 1) / 1000) * 1000 + 1000;
  const cold = { from: first, to: first + seconds * 1000 };
  const warm = { from: first + warmup * 1000, to: first + (warmup + seconds) * 1000 };
  await sleep(warm.to - Date.now() + 200);
  calibrating = false;
  realClearInterval(probe);
  await jobs.stop();
  await idleJobs?.stop();
  const coldSamples: number[] = [];
  const warmSamples: number[] = [];
  for (const p of fires) {
    const rough = Date.now() - performance.now() + p;
    const second = Math.round(rough / 1000) * 1000;
    const [before, after] = offsets.get(second) ?? [];
    if (before === undefined || after === undefined) continue;
    const offset =
      before.offset + ((after.offset - before.offset) * (p - before.at)) / (after.at - before.at);
    if (second >= cold.from && second < cold.to) coldSamples.push(offset + p - second);
    if (second >= warm.from && second < warm.to) warmSamples.push(offset + p - second);
  }
  const summary = (samples: number[]) => {
    samples.sort((a, b) => a - b);
    const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
    return {
      samples: samples.length,
      p50: pick(0.5),
      p99: pick(0.99),
      max: samples.at(-1) ?? NaN,
      min: samples[0] ?? NaN,
    };
  };
  // For each second of the warm window: the longest gap between probe ticks that overlaps
  // [second - 10 ms, second + 10 ms], on the performance clock.
  const blocking: number[] = [];
  let i = 1;
  for (let second = warm.from; second < warm.to; second += 1000) {
    const before = offsets.get(second)?.[0];
    if (before === undefined) continue;
    const at = second - before.offset;
    while (i < tickCount && (ticks[i] as number) < at - 10) i++;
    let longest = 0;
    for (let j = i; j < tickCount && (ticks[j - 1] as number) <= at + 10; j++)
      longest = Math.max(longest, (ticks[j] as number) - (ticks[j - 1] as number));
    blocking.push(longest);
  }
  const b = summary(blocking);
  const c = summary(coldSamples);
  return {
    ...summary(warmSamples),
    blockInstants: b.samples,
    blockP50: b.p50,
    blockP99: b.p99,
    blockMax: b.max,
    coldSamples: c.samples,
    coldP50: c.p50,
    coldP99: c.p99,
    coldMax: c.max,
    ...(opts.hang === '1' ? { conditionFailures } : {}),
  };
}

/** CPU time (user + system, every thread of the process) since `since`, in microseconds. */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return user + system;
}

async function throughput(): Promise<object> {
  const { App, Arg, always } = await import('@apogee/core');
  const { noop: remoteNoop } = await import('./noopTask');
  const execution = lib as 'main' | 'async' | 'thread' | 'process';
  const remote = execution === 'thread' || execution === 'process';
  const multilaunch = opts.multilaunch === '1';
  const app = new App({ params: {} });
  let provider = 0;
  app.param({ name: 's' }, () => ++provider);
  // Enough batches for the whole window, queued up front (past the default bound of 1000).
  const total = remote ? 100_000 : 400_000;
  const task = app.task(
    {
      name: 'noop',
      start: always,
      execution,
      multilaunch,
      maxBatches: total,
      parameters: { t: 2 },
      inject: [Arg('b'), Arg('t'), Arg('f', 3), Arg('s')],
      ...(remote ? { module: require.resolve('./noopTask') } : {}),
    },
    remote ? remoteNoop : noop,
  );
  for (let i = 0; i < total; i++) task.run({ b: 1 });
  let runs = 0;
  let failures = 0;
  app.events.subscribe((e) => {
    if (e.type === 'taskSucceeded') runs++;
    if (e.type === 'taskFailed') failures++;
  });
  const done = app.run({ handleSignals: false });
  // Warm up: workers start, code gets compiled.
  await sleep(remote ? 1000 : 300);
  const profile = await profileWindow();
  const runs0 = runs;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await sleep(2000);
  const elapsed = (performance.now() - t0) / 1000;
  const measured = runs - runs0;
  await profile.stop();
  const result = {
    runsPerSecond: measured / elapsed,
    usPerRun: (elapsed * 1e6) / measured,
    cpuUsPerRun: cpuMicros(cpu0) / measured,
    providerCallsPerRun: provider / (runs + failures),
    failures,
  };
  // Shutdown waits for the live runs only; the rest of the backlog stays queued.
  await app.shutdown();
  await done;
  return result;
}

async function params(): Promise<object> {
  const { App, Arg, FuncArg, always } = await import('@apogee/core');
  // Back to back: the default minRunGap (1 ms) would make every run wait a timer tick, and the
  // section would measure that tick instead of resolving the parameters.
  const app = new App({ config: { minRunGap: 0 } });
  let calls = 0;
  const counted = (value: unknown) => () => {
    calls++;
    return value;
  };
  let inject: ReturnType<typeof Arg>[] = [];
  switch (opts.case) {
    case 'none':
      break;
    case '10-present-2-used':
      for (let i = 0; i < 10; i++) app.params({ [`p${i}`]: new FuncArg(counted(i)) });
      inject = [Arg('p3'), Arg('p7')];
      break;
    case '100-present-1-used':
      for (let i = 0; i < 100; i++) app.params({ [`p${i}`]: new FuncArg(counted(i)) });
      inject = [Arg('p42')];
      break;
    case 'chain-of-5':
      app.param({ name: 'c1' }, counted(1));
      for (let i = 2; i <= 5; i++) {
        app.param({ name: `c${i}`, inject: [Arg(`c${i - 1}`)] }, (v: number) => {
          calls++;
          return v + 1;
        });
      }
      inject = [Arg('c5')];
      break;
    case 'diamond':
      app.param({ name: 'base' }, counted(1));
      app.param({ name: 'left', inject: [Arg('base')] }, (v: number) => {
        calls++;
        return v;
      });
      app.param({ name: 'right', inject: [Arg('base')] }, (v: number) => {
        calls++;
        return v;
      });
      inject = [Arg('left'), Arg('right')];
      break;
    default:
      throw new Error(`unknown case ${String(opts.case)}`);
  }
  app.task({ name: 'noop', start: always, inject }, noop);
  let runs = 0;
  app.events.subscribe((e) => {
    if (e.type === 'taskSucceeded') runs++;
  });
  const done = app.run({ handleSignals: false });
  await sleep(300);
  const profile = await profileWindow();
  const [runs0, calls0, t0, cpu0] = [runs, calls, performance.now(), process.cpuUsage()];
  await sleep(2000);
  const elapsed = (performance.now() - t0) / 1000;
  const measured = runs - runs0;
  await profile.stop();
  await app.shutdown();
  await done;
  return {
    usPerRun: (elapsed * 1e6) / measured,
    cpuUsPerRun: cpuMicros(cpu0) / measured,
    providerCallsPerRun: (calls - calls0) / measured,
  };
}

async function afterSuccessCheck(): Promise<object> {
  const { afterSuccess, MemoryRunLog } = await import('@apogee/core');
  const { calendarFor, TaskStateIndex } = await import('@apogee/core/internal');
  const records = n;
  const log = new MemoryRunLog({ perTask: Math.max(1, records) });
  const index = new TaskStateIndex();
  const base = Date.now() - records;
  // The history: R records of 20 dependency tasks, in the log and folded into the index.
  for (let i = 0; i < records; i++) {
    const record = {
      taskName: `dep${i % 20}`,
      action: i % 2 === 0 ? ('run' as const) : ('success' as const),
      created: new Date(base + i),
      runId: `r${i >> 1}`,
    };
    log.append(record);
    index.apply(record);
  }
  const conditions = Array.from({ length: 20 }, (_, i) => afterSuccess(`dep${i}`));
  const calendar = calendarFor('UTC');
  const ctx = (name: string) => ({
    now: Date.now(),
    calendar,
    taskName: name,
    state: (task: string) => index.get(task),
    schedulerStartedAt: undefined,
    cycles: 0,
    cron: () => {
      throw new Error('unused');
    },
    custom: () => Promise.resolve(false),
    customPoll: () => 1000,
    pendingEmissions: () => 0,
    sessionParameter: () => ({ exists: false, value: undefined }),
  });
  const contexts = conditions.map((_, i) => ctx(`consumer${i}`));
  const checks = 2_000_000;
  let truthy = 0;
  const t0 = performance.now();
  for (let i = 0; i < checks; i++) {
    const c = i % 20;
    if ((conditions[c]?.evaluate(contexts[c] as never) as { value: boolean }).value) truthy++;
  }
  const ns = ((performance.now() - t0) * 1e6) / checks;
  return { nsPerCheck: ns, truthy: truthy > 0 };
}

async function startup(): Promise<object> {
  const { App, always, daily } = await import('@apogee/core');
  // Both packages are loaded before the clock starts: the figure is the start, not module loading.
  const sqlite = opts.log === 'sqlite' ? await import('@apogee/sqlite') : undefined;
  const t0 = performance.now();
  const log = sqlite === undefined ? undefined : new sqlite.SqliteRunLog(opts.file ?? '');
  const app = new App({ config: { timezone: 'UTC' }, ...(log === undefined ? {} : { log }) });
  const far = daily.at(`${String(farHour).padStart(2, '0')}:00`);
  for (let i = 0; i < n - 1; i++) app.task({ name: `t${i}`, start: far }, noop);
  let firstRun = NaN;
  app.task({ name: 'due', start: always }, () => {
    if (Number.isNaN(firstRun)) firstRun = performance.now();
  });
  const done = app.run({ handleSignals: false });
  while (Number.isNaN(firstRun)) await sleep(1);
  const result = {
    secondsToFirstRun: (firstRun - t0) / 1000,
    restoredTasks: app.session.tasks.filter((t) => t.name !== 'due' && t.lastRun !== undefined).length,
  };
  await app.shutdown();
  await done;
  (log as { close?: () => void } | undefined)?.close?.();
  return result;
}

/** Builds an SQLite run log with `records` records over `n` tasks, as an older process would have left it. */
async function buildStartupDb(): Promise<object> {
  const Database = (await import('better-sqlite3')).default;
  const { MIGRATIONS, SqliteRunLog } = await import('@apogee/sqlite');
  const file = opts.file ?? '';
  const records = Number(opts.records ?? 0);
  const db = new Database(file);
  db.exec(MIGRATIONS[0] ?? '');
  db.pragma('user_version = 1');
  const insert = db.prepare(
    'INSERT INTO runs (task_name, action, created, run_id, start, end, runtime) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const base = Date.now() - records * 1000;
  db.transaction(() => {
    for (let i = 0; i < records; i += 2) {
      const task = `t${(i >> 1) % n}`;
      const at = base + i * 1000;
      insert.run(task, 'run', at, `r${i}`, at, null, null);
      insert.run(task, 'success', at + 1, `r${i}`, at, at + 1, 1);
    }
  })();
  db.close();
  // Opening it migrates to the current schema, building the per-task state tables once.
  new SqliteRunLog(file).close();
  return { records };
}

const scenarios: Record<string, () => Promise<object>> = {
  idle,
  heap,
  latency,
  throughput,
  params,
  afterSuccessCheck,
  startup,
  buildStartupDb,
  million: async () =>
    (await import('./millionTasks')).millionTasks({
      n: n === 0 ? 1_000_000 : n,
      seconds: Number(opts.seconds ?? 10),
      farHour,
      gc,
      sleep,
    }),
  bareHeap: async () =>
    (await import('./bareHeap')).bareHeap({
      n: n === 0 ? 1_000_000 : n,
      seconds: Number(opts.seconds ?? 10),
      gc,
      sleep,
    }),
  predictionCost: async () => (await import('./predictionCost')).predictionCost(),
  observabilityCost: async () =>
    (await import('./observabilityCost')).observabilityCost(lib as import('./observabilityCost').Telemetry),
  sqliteRecords: async () => (await import('./sqliteRetention')).sqliteRecords(opts),
  sqliteDrain: async () => (await import('./sqliteRetention')).sqliteDrain(opts),
  sqliteAppendRate: async () => (await import('./sqliteRetention')).sqliteAppendRate(opts),
};
const run = scenarios[scenario];
if (run === undefined) throw new Error(`unknown scenario ${scenario}`);
run().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
