/**
 * `pnpm bench`: runs every scenario several times, each in a fresh process (compiled JavaScript on
 * plain node), and writes
 * bench/RESULTS.md and bench/results.json. Options: `--runs N` (default 3), `--seconds S` for the
 * idle and latency windows (default 10), `--warmup S` before the steady-state latency window
 * (default 45), `--only name,name` (idle, heap, latency, throughput, params, afterSuccess, startup,
 * guarantees, manyInstances, queue, postgres, observability, million).
 *
 * To see where a run's time goes, run one scenario with `BENCH_PROFILE=file.cpuprofile`: the
 * throughput and params scenarios then write a CPU profile of their measured window only, e.g.
 * `BENCH_PROFILE=/tmp/w.cpuprofile node bench/dist/scenario.js throughput async`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Case, guaranteesSection, type Row, type Sample } from './guaranteesSection';
import { millionSection } from './millionSection';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const RUNS = Number(flag('runs', '3'));
const SECONDS = Number(flag('seconds', '10'));
const WARMUP = Number(flag('warmup', '45'));
const ONLY = flag('only', '')
  .split(',')
  .filter((s) => s !== '');
const root = join(__dirname, '..');
const PEERS = ['croner', 'node-cron', 'cron', 'toad-scheduler'] as const;

/** Runs one measurement in a fresh process and returns what it printed. */
function measure(scenario: string, lib: string, opts: Record<string, string | number>): Sample {
  // Compiled JavaScript on plain node: a TypeScript loader would run module hooks on a thread of
  // its own, and its CPU would count against whatever is measured.
  const argv = ['--expose-gc', '--max-old-space-size=8192', join(root, 'dist', 'scenario.js'), scenario, lib];
  for (const [k, v] of Object.entries(opts)) argv.push(`${k}=${String(v)}`);
  const out = execFileSync(process.execPath, argv, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Sample;
}

function repeat(label: string, scenario: string, lib: string, opts: Record<string, string | number>): Row {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`  ${label} run ${i + 1}/${RUNS}\n`);
    samples.push(measure(scenario, lib, opts));
  }
  return { label, samples };
}

/**
 * Like {@link repeat} for measurements compared with each other, their runs taken in turn (a, b,
 * a, b, ...): a change in the machine's load then meets each of them alike.
 */
function interleaved(cases: readonly Case[]): Row[] {
  const rows = cases.map((c): Row => ({ label: c.label, samples: [] }));
  for (let i = 0; i < RUNS; i++)
    cases.forEach((c, k) => {
      process.stderr.write(`  ${c.label} run ${i + 1}/${RUNS}\n`);
      rows[k]?.samples.push(measure(c.scenario, c.lib, c.opts));
    });
  return rows;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const stats = (row: Row, key: string) => {
  const xs = row.samples.map((s) => Number(s[key]));
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const fmt = (x: number, digits = 2): string =>
  Number.isFinite(x)
    ? Math.abs(x) >= 1000
      ? Math.round(x).toLocaleString('en-US')
      : x.toFixed(digits)
    : String(x);
const cell = (row: Row, key: string, digits = 2): string => {
  const s = stats(row, key);
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
};
/** How many times `row` is over `base` (peer / Apogee for costs). */
const ratio = (row: Row, base: Row, key: string): string => {
  const b = stats(base, key).median;
  const r = stats(row, key).median;
  if (b === 0) return r === 0 ? '1×' : '∞ (Apogee: 0)';
  return `${fmt(r / b, 1)}×`;
};

const idleCells = (row: Row): string =>
  [cell(row, 'cpuMs'), cell(row, 'gcMs'), cell(row, 'wakeups', 0)].join(' | ');

const sections: string[] = [];
const json: Record<string, unknown> = {};
const want = (name: string): boolean => ONLY.length === 0 || ONLY.includes(name);

if (want('idle')) {
  const lines = [
    `### 1. Idle CPU and timer wake-ups (nothing due, ${SECONDS} s)`,
    '',
    '| library | N | CPU ms | GC pauses, ms | wake-ups | CPU vs Apogee (cron) |',
    '|---|---|---|---|---|---|',
  ];
  const rows: Record<string, Row> = {};
  for (const n of [1000, 10000]) {
    const base = repeat(`idle apogee cron N=${n}`, 'idle', 'apogee', {
      n,
      seconds: SECONDS,
      pattern: 'cron',
    });
    const daily = repeat(`idle apogee daily N=${n}`, 'idle', 'apogee', {
      n,
      seconds: SECONDS,
      pattern: 'daily',
    });
    rows[`apogee-cron-${n}`] = base;
    rows[`apogee-daily-${n}`] = daily;
    lines.push(`| Apogee \`cron('0 H * * *')\` | ${n} | ${idleCells(base)} | 1× |`);
    lines.push(
      `| Apogee \`daily.at('H:00')\` | ${n} | ${idleCells(daily)} | ${ratio(daily, base, 'cpuMs')} |`,
    );
    for (const peer of PEERS) {
      const row = repeat(`idle ${peer} N=${n}`, 'idle', peer, { n, seconds: SECONDS });
      rows[`${peer}-${n}`] = row;
      lines.push(`| ${peer} | ${n} | ${idleCells(row)} | ${ratio(row, base, 'cpuMs')} |`);
    }
  }
  lines.push(
    '',
    'Rocketry (its figures, 2-core machine): 100 daily tasks use 18% of a core, 500 use 53% (about 1,800 and 5,300 ms per 10 s).',
    '',
    'Measured after 3 s of settling and a forced GC, then after V8\'s memory reducer: some seconds after a full GC it runs a few "Mark-Compact (reduce)" collections to shrink the heap (`node --trace-gc` shows them for Apogee, croner and others; 8 to 21 s later on this VM, not at all for a small heap). They are an after-effect of start-up, not idle work, so each run waits for a major GC it did not force plus 2 s of quiet (at most 30 s) before the window; GC pauses still seen in the window have their own column. croner and toad-scheduler wake each job at least every 30 s (croner\'s cap on a timer), 30 s after it was made and every 30 s after: 10,000 jobs, made over about 10 s, wake about 900 times a second for 10 s of every 30 (an earlier run measured 8,500 wake-ups in its window). Whether this 10 s window meets such a burst depends on where the wait above ends, so their wake-ups and CPU range widely between runs, and a median of 0 wake-ups does not mean they sleep.',
  );
  sections.push(lines.join('\n'));
  json.idle = rows;
}

/** The table of what holds Apogee's heap per task: medians over the runs' heap snapshots. */
function heldBy(row: Row): string[] {
  const perRun = row.samples.map(
    (s) => ((s as Record<string, unknown>).breakdown ?? {}) as Record<string, number>,
  );
  const keys = [...new Set(perRun.flatMap((b) => Object.keys(b)))];
  const medians = keys
    .map((key): [string, number] => [key, median(perRun.map((b) => b[key] ?? 0))])
    .filter(([, bytes]) => bytes >= 4)
    .sort((a, b) => b[1] - a[1]);
  return [
    "Apogee's bytes per task by what holds them: self sizes in a heap snapshot taken after the measurement minus one taken before scheduling, divided by N, by constructor (or V8's kind of node in parentheses); holders under 4 B per task are left out. The library's code is loaded before the first snapshot, so it is not counted.",
    '',
    '| held by | bytes per task |',
    '|---|---|',
    ...medians.map(([key, bytes]) => `| \`${key.trim()}\` | ${fmt(bytes, 0)} |`),
  ];
}

if (want('heap')) {
  const n = 10000;
  const lines = [
    '### 2. Heap per scheduled task (N = 10,000, after GC; the library loaded before the baseline)',
    '',
    '| library | bytes per task | vs Apogee |',
    '|---|---|---|',
  ];
  const base = repeat('heap apogee', 'heap', 'apogee', { n, pattern: 'daily', breakdown: 1 });
  lines.push(`| Apogee (\`daily\`) | ${cell(base, 'bytesPerTask', 0)} | 1× |`);
  const rows: Record<string, Row> = { apogee: base };
  for (const peer of PEERS) {
    const row = repeat(`heap ${peer}`, 'heap', peer, { n });
    rows[peer] = row;
    lines.push(`| ${peer} | ${cell(row, 'bytesPerTask', 0)} | ${ratio(row, base, 'bytesPerTask')} |`);
  }
  lines.push('', ...heldBy(base));
  sections.push(lines.join('\n'));
  json.heap = rows;
}

if (want('latency')) {
  const lines = [
    `### 3. Fire latency and event-loop blocking: 50 tasks every second (\`* * * * * *\`), actual start minus the second`,
    '',
    `Each run fires for ${WARMUP + SECONDS} s and is measured in two ${SECONDS}-second windows: from its first full second ("first ${SECONDS} s") and after ${WARMUP} s of warm-up (the main columns, the steady state). Blocking: per due instant, the longest event-loop gap within ±10 ms of it, seen by a 1 ms \`setInterval\` probe (1 ms when nothing blocks the loop: the probe's own interval), as p50 / p99 / max over the instants of the steady-state window.`,
    '',
    `| library | idle tasks | p50 ms | p99 ms | max ms | p99 vs Apogee | blocking p50 / p99 / max ms | first ${SECONDS} s: p50 / p99 ms |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  const rows: Record<string, Row> = {};
  const opts = (n: number, precise = 0) => ({ n, seconds: SECONDS, warmup: WARMUP, precise });
  const cold = (row: Row): string =>
    `${fmt(stats(row, 'coldP50').median)} / ${fmt(stats(row, 'coldP99').median)}`;
  const blocking = (row: Row): string =>
    ['blockP50', 'blockP99', 'blockMax'].map((k) => fmt(stats(row, k).median)).join(' / ');
  const line = (label: string, n: number, row: Row, base: Row): string =>
    `| ${label} | ${n} | ${cell(row, 'p50')} | ${cell(row, 'p99')} | ${cell(row, 'max')} | ${row === base ? '1×' : ratio(row, base, 'p99')} | ${blocking(row)} | ${cold(row)} |`;
  for (const n of [0, 10000]) {
    const base = repeat(`latency apogee idle=${n}`, 'latency', 'apogee', opts(n));
    rows[`apogee-${n}`] = base;
    lines.push(line('Apogee (default)', n, base, base));
    const precise = repeat(`latency apogee preciseTiming idle=${n}`, 'latency', 'apogee', opts(n, 1));
    rows[`apogee-precise-${n}`] = precise;
    lines.push(line('Apogee (`preciseTiming: true`)', n, precise, base));
    for (const peer of PEERS) {
      const row = repeat(`latency ${peer} idle=${n}`, 'latency', peer, opts(n));
      rows[`${peer}-${n}`] = row;
      lines.push(line(peer, n, row, base));
    }
  }
  lines.push(
    '',
    'Rocketry (its figures): median about 45 ms, max 90–170 ms, growing with the number of tasks.',
    '',
    'How Apogee starts on time. By default: one timer, armed for the due instant itself; when it fires while `Date.now()` still reads the millisecond before (libuv and `Date.now()` round differently), the rest is waited out in event-loop turns (`setImmediate`: other callbacks run between them) rather than by a timer armed again, which fires a whole tick late; the event loop is never blocked on purpose, so the blocking column shows only the pass itself (50 starts). With `preciseTiming: true`: the timer is armed 3 ms early, then the scheduler sleeps in `Atomics.wait` until the last millisecond and spins through it (on the real clock only), which the blocking column shows as a gap of about 3 ms before each instant. In both modes a due task without parameters is called inside the pass.',
    '',
    `Why the first ${SECONDS} s differ: for about a minute after start a process keeps compiling its hot functions (\`node --trace-opt\`: the scheduler's pass functions are called 50 to 100 times a second and reach TurboFan one by one, until about 50 s in). Each optimizing compile runs on a V8 thread for 1–10 ms, and on this 2-core VM a second busy thread stalls the main one for 1–4 ms (a busy loop shows such gaps only while another one runs); when that happens during a pass, the tasks after that point start late. V8's memory reducer also runs its start-up collections some seconds in. Both happen to every library; the steady state is what a long-running scheduler lives in.`,
    '',
    'Clock: each fire is timed on `performance.now()` and converted to the wall clock (`Date.now()`, which every scheduler reads) with offsets measured at a millisecond edge 15 ms before and 30 ms after its second, interpolated: on this VM the two clocks drift apart by up to about a millisecond within half a second. Those calibrations spin for up to a millisecond, outside the ±10 ms blocking window.',
  );
  sections.push(lines.join('\n'));
  json.latency = rows;
}

if (want('throughput')) {
  const lines = [
    '### 4. Throughput of no-op runs with four-level parameters (batch, task, function fallback, session provider)',
    '',
    '| execution | runs at once | runs per second | µs per run | CPU µs per run | vs Rocketry (1,350/s) |',
    '|---|---|---|---|---|---|',
  ];
  const rows: Record<string, Row> = {};
  const cases = [
    ['main', '1', 0],
    ['async', '1', 0],
    ['thread', '1', 0],
    ['process', '1', 0],
    ['thread', `${String(cpus().length)} (multilaunch)`, 1],
    ['process', `${String(cpus().length)} (multilaunch)`, 1],
  ] as const;
  for (const [mode, atOnce, multilaunch] of cases) {
    const key = multilaunch === 1 ? `${mode}-multilaunch` : mode;
    const row = repeat(`throughput ${key}`, 'throughput', mode, { multilaunch });
    rows[key] = row;
    lines.push(
      `| ${mode} | ${atOnce} | ${cell(row, 'runsPerSecond', 0)} | ${cell(row, 'usPerRun')} | ${cell(row, 'cpuUsPerRun')} | ${fmt(stats(row, 'runsPerSecond').median / 1350, 1)}× |`,
    );
  }
  lines.push(
    '',
    "One at a time (no multilaunch), µs per run is the whole cost of a run: for `thread` and `process` it is dominated by the message round trip to the worker and back, on top of what `async` costs. With multilaunch, runs go to all workers (one per core) and the scheduler overlaps their round trips. CPU µs per run is the scheduler process's CPU time (every thread of it, the garbage collector's included) over the runs of the window: it does not count waiting for a core, so it is the steadier figure on a shared machine; for `thread` and `process` it leaves out the workers.",
  );
  sections.push(lines.join('\n'));
  json.throughput = rows;
}

if (want('params')) {
  const lines = [
    '### 5. Parameter resolution (async no-op task, per run)',
    '',
    '| case | µs per run | CPU µs per run | provider calls per run |',
    '|---|---|---|---|',
  ];
  const rows: Record<string, Row> = {};
  for (const c of ['none', '10-present-2-used', '100-present-1-used', 'chain-of-5', 'diamond']) {
    const row = repeat(`params ${c}`, 'params', 'apogee', { case: c });
    rows[c] = row;
    lines.push(
      `| ${c} | ${cell(row, 'usPerRun')} | ${cell(row, 'cpuUsPerRun')} | ${cell(row, 'providerCallsPerRun')} |`,
    );
  }
  lines.push(
    '',
    'Each provider runs once per run: 2 for "10 present, 2 used", 1 for "100 present, 1 used", 5 for the chain, 3 for the diamond (its shared base once). Rocketry: +16 µs per *present* session parameter, and the diamond computes its base twice.',
  );
  sections.push(lines.join('\n'));
  json.params = rows;
}

if (want('afterSuccess')) {
  const lines = [
    '### 6. `afterSuccess` check cost against history size',
    '',
    '| records | ns per check | Rocketry |',
    '|---|---|---|',
  ];
  const rows: Record<string, Row> = {};
  const rocketry: Record<number, string> = { 0: '82 µs', 10000: '22.8 ms', 1000000: '≈ 2.3 s (2.3 µs × R)' };
  for (const n of [0, 10000, 1000000]) {
    const row = repeat(`afterSuccess R=${n}`, 'afterSuccessCheck', 'apogee', { n });
    rows[String(n)] = row;
    lines.push(`| ${n.toLocaleString('en-US')} | ${cell(row, 'nsPerCheck')} | ${rocketry[n] ?? ''} |`);
  }
  sections.push(lines.join('\n'));
  json.afterSuccess = rows;
}

if (want('startup')) {
  const cache = join(root, '.cache');
  mkdirSync(cache, { recursive: true });
  const file = join(cache, 'startup-1m.db');
  if (!existsSync(file)) {
    process.stderr.write('  building a run log with 1,000,000 records (once)\n');
    measure('buildStartupDb', 'apogee', { file, n: 10000, records: 1_000_000 });
  }
  const memory = repeat('startup memory', 'startup', 'apogee', { n: 10000 });
  const sqlite = repeat('startup sqlite', 'startup', 'apogee', { n: 10000, log: 'sqlite', file });
  sections.push(
    [
      '### 7. Start-up with 10,000 tasks: seconds from `new App` to the first due run',
      '',
      '| run log | seconds | tasks restored |',
      '|---|---|---|',
      `| memory | ${cell(memory, 'secondsToFirstRun', 3)} | ${cell(memory, 'restoredTasks', 0)} |`,
      `| SQLite, 1,000,000 records | ${cell(sqlite, 'secondsToFirstRun', 3)} | ${cell(sqlite, 'restoredTasks', 0)} |`,
      '',
      'Rocketry (its figures): 3.7 s for 500 tasks over 1,000 records.',
    ].join('\n'),
  );
  json.startup = { memory, sqlite };
}

if (want('guarantees')) {
  const { markdown, json: rows } = guaranteesSection({
    seconds: SECONDS,
    repeat,
    interleaved,
    cell,
    stats,
    fmt,
  });
  sections.push(markdown);
  json.guarantees = rows;
}

/** A section printed by a script of its own, from its heading on: the apps it runs log to the same stdout. */
function sectionOf(output: string): string {
  const start = output.indexOf('### ');
  return (start < 0 ? output : output.slice(start)).trimEnd();
}

if (want('manyInstances')) {
  // Its own process: it runs replicas and a redis-server of its own, and prints its section.
  const script = join(__dirname, 'manyInstances.js');
  sections.push(
    sectionOf(execFileSync(process.execPath, [script, '--runs', String(RUNS)], { encoding: 'utf8' })),
  );
}

if (want('postgres')) {
  // Its own process, through tsx: it starts a private PostgreSQL and redis-server with the test
  // utilities (TypeScript sources), runs replicas, and prints its section.
  sections.push(
    sectionOf(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', join(root, 'src', 'postgresInstances.ts'), '--runs', String(RUNS)],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_800_000 },
      ),
    ),
  );
}

if (want('queue')) {
  // Its own processes (a redis-server, workers, a leader), driven from one process of its own.
  const out = execFileSync(
    process.execPath,
    [join(root, 'dist', 'queueMain.js'), String(RUNS), String(SECONDS)],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 1_800_000,
    },
  );
  const { markdown, json: figures } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    markdown: string;
    json: Record<string, unknown>;
  };
  sections.push(markdown);
  json.queue = figures;
}

if (want('observability')) {
  // Taken in turn (off, seam, otel, metrics, off, ...), so a change in the machine's load meets each alike.
  const cases: Case[] = (['off', 'seam', 'otel', 'metrics', 'span'] as const).map((t) => ({
    label: `observability ${t}`,
    scenario: 'observabilityCost',
    lib: t,
    opts: {},
  }));
  const [off, seam, otel, metrics, span] = interleaved(cases) as [Row, Row, Row, Row, Row];
  const added = (row: Row): string =>
    fmt(stats(row, 'cpuUsPerRun').median - stats(off, 'cpuUsPerRun').median);
  const line = (label: string, row: Row): string =>
    `| ${label} | ${cell(row, 'cpuUsPerRun')} | ${row === off ? '—' : added(row)} | ${ratio(row, off, 'cpuUsPerRun')} | ${cell(row, 'usPerRun')} |`;
  sections.push(
    [
      '### 12. Cost of observability (async no-op task, per run)',
      '',
      '| telemetry | CPU µs per run | CPU µs added | vs off | wall µs per run |',
      '|---|---|---|---|---|',
      line('off (no instrumentation)', off),
      line('the seam only (an instrumentation that watches nothing)', seam),
      line('`@apogee/opentelemetry`: a span and the run metrics (SDK, batch export to nowhere)', otel),
      line('`serveControl(app, { metrics: true })`: the `/metrics` counters', metrics),
      line(
        'reference: a bare SDK span per run, active around its code (same SDK; no attributes or metrics)',
        span,
      ),
      '',
      'Off, the scheduler checks one length per run and builds nothing for it (`Instruments.active`). With OpenTelemetry, a run costs Apogee one observer object and an attribute object (span names and metric attribute sets are kept per task, the formatted due instant is shared by runs due at the same one); the rest is the SDK: the span, its ids and attributes, the async-hooks context around the call, and two histogram recordings (run counts and active runs are observable instruments read from per-task tallies when the meter collects, since each synchronous recording costs the SDK an attribute hash). The reference row is that SDK floor for a span active inside each run, without attributes or metrics: what `@apogee/opentelemetry` adds above it is the part of Apogee. The cases run in turn in one `pnpm bench`, each timed by its process CPU time (all threads; GC and the SDK export thread included, which is why it can exceed the wall time) beside the wall time, on a quiet machine. The scenario counts a whole run (condition check, start, records, events) of a task started back to back, so its base differs from the tight loop of section 4; the added microseconds are the figure to read.',
    ].join('\n'),
  );
  json.observability = { off, seam, otel, metrics, span };
}

if (want('million')) {
  const { markdown, json: rows } = millionSection({ repeat, cell, seconds: SECONDS });
  sections.push(markdown);
  json.million = rows;
}

const numberOf = (section: string): number => Number(/^### (\d+)\./.exec(section)?.[1] ?? 0);

const header = [
  '# Benchmark results',
  '',
  `Measured by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB.`,
  `Each figure is the median of ${RUNS} runs, each in a fresh process, with the range (min–max) in parentheses. Peers run in the same way, in the same session.`,
  'Rocketry cannot run here (no Python registry): its figures are the ones measured on a 2-core machine in `shared/ROCKETRY.md` §5.2, quoted for comparison, not re-measured.',
  ...(ONLY.length === 0
    ? []
    : [
        `This run (\`--only ${ONLY.join(',')}\`) measured sections ${sections.map((s) => `§${String(numberOf(s))}`).join(', ')}; the others are kept from an earlier run.`,
      ]),
  '',
].join('\n');

// With --only, the other sections (and their JSON) are kept from the last full run.
const merged = new Map<number, string>();
const resultsFile = join(root, 'RESULTS.md');
const jsonFile = join(root, 'results.json');
let previousJson: Record<string, unknown> = {};
if (ONLY.length > 0 && existsSync(resultsFile)) {
  for (const old of readFileSync(resultsFile, 'utf8')
    .split(/\n(?=### \d+\.)/)
    .slice(1))
    merged.set(numberOf(old), old.trimEnd());
  if (existsSync(jsonFile))
    previousJson =
      (JSON.parse(readFileSync(jsonFile, 'utf8')) as { results?: Record<string, unknown> }).results ?? {};
}
for (const section of sections) merged.set(numberOf(section), section);
const body = [...merged.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
writeFileSync(resultsFile, `${header}\n${body.join('\n\n')}\n`);
writeFileSync(
  jsonFile,
  `${JSON.stringify({ runs: RUNS, seconds: SECONDS, node: process.version, results: { ...previousJson, ...json } }, null, 2)}\n`,
);
process.stderr.write('wrote bench/RESULTS.md and bench/results.json\n');
