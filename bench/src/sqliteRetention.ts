/**
 * The SQLite run log under volume: three scenarios of `pnpm bench` (section 8), each run by
 * scenario.ts in a fresh process on a file in a temporary directory of its own:
 * - `sqliteRecords`: `records({ limit: 1 })` and a filtered page on a file of `rows` records,
 *   against reading the whole table (what `limit` cost when it was applied after `records()`);
 * - `sqliteDrain`: the cost of each retention step when a cap of 10,000 per task meets that file;
 * - `sqliteAppendRate`: appends in a tight loop for `seconds` with `perTask` 1,000, 70% of them
 *   to one task, and the most records any task held, sampled every 10 appends.
 */
import Database from 'better-sqlite3';
import { SqliteRunLog } from '@apogee/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The `key=value` options of scenario.ts. */
export type Options = Readonly<Record<string, string | undefined>>;

const TASKS = 4;

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** Wall time and growth of the resident set of one call. */
async function measure<T>(fn: () => T | Promise<T>): Promise<{ ms: number; rssMb: number; result: T }> {
  gc?.();
  const rss = process.memoryUsage().rss;
  const start = performance.now();
  const result = await fn();
  const ms = Math.round((performance.now() - start) * 100) / 100;
  return { ms, rssMb: mb(process.memoryUsage().rss - rss), result };
}

/** A file of `rows` records of {@link TASKS} tasks, written in one statement. */
function bigFile(file: string, rows: number): void {
  new SqliteRunLog(file).close();
  const db = new Database(file);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
    INSERT INTO runs (task_name, action, created, run_id, start, end, runtime, return_value)
    SELECT 'task' || (i % ${TASKS}), CASE WHEN i % 2 = 1 THEN 'run' ELSE 'success' END, i, 'r' || ((i + 1) / 2),
      i, i, 1, CASE WHEN i % 2 = 0 THEN '{"rows":' || i || '}' END FROM n`);
  db.close();
}

/** Runs `fn` with a temporary directory, removed afterwards. */
async function inTempDir<T>(fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'apogee-sqlite-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `records({ limit: 1 })` and a page of 100 on a file of `rows` records, against the whole table. */
export const sqliteRecords = (opts: Options): Promise<object> =>
  inTempDir(async (dir) => {
    const rows = Number(opts.rows ?? 680_000);
    const file = join(dir, 'records.db');
    bigFile(file, rows);
    const log = new SqliteRunLog(file);
    const limitOne = await measure(() => log.records({ limit: 1 }));
    const page = await measure(() =>
      log.records({ taskName: 'task1', action: 'success', limit: 100, offset: 1000 }),
    );
    const whole = await measure(async () => (await log.records()).slice(-1));
    log.close();
    return {
      rows,
      limitOneMs: limitOne.ms,
      limitOneRssMb: limitOne.rssMb,
      pageOf100Ms: page.ms,
      wholeTableThenSliceMs: whole.ms,
      wholeTableThenSliceRssMb: whole.rssMb,
    };
  });

/** Each retention step's time while a cap of 10,000 per task drains a file of `rows` records. */
export const sqliteDrain = (opts: Options): Promise<object> =>
  inTempDir((dir) => {
    const rows = Number(opts.rows ?? 680_000);
    const file = join(dir, 'drain.db');
    bigFile(file, rows);
    const log = new SqliteRunLog(file, { retention: { perTask: 10_000 } });
    const steps: number[] = [];
    let removed = 0;
    const started = performance.now();
    for (;;) {
      // One step at a time, as the log runs them (in an append, or one per turn of the event
      // loop). No forced GC around each: a step allocates next to nothing, and 1,000 forced
      // collections would take longer than the steps.
      const t0 = performance.now();
      const result = log.pruneStep();
      const ms = performance.now() - t0;
      if (result === 0) break;
      removed += result;
      steps.push(ms);
    }
    log.close();
    steps.sort((a, b) => a - b);
    return {
      rows,
      removed,
      steps: steps.length,
      stepMedianMs: steps[Math.floor(steps.length / 2)] ?? NaN,
      stepP99Ms: steps[Math.floor(steps.length * 0.99)] ?? NaN,
      stepMaxMs: steps.at(-1) ?? NaN,
      totalMs: performance.now() - started,
    };
  });

/** Appends in a tight loop for `seconds` with `perTask` 1,000, and the most records one task held. */
export const sqliteAppendRate = (opts: Options): Promise<object> =>
  inTempDir((dir) => appendRate(join(dir, 'rate.db'), Number(opts.seconds ?? 10)));

function appendRate(file: string, seconds: number): object {
  const perTask = 1000;
  const log = new SqliteRunLog(file, { retention: { perTask } });
  const raw = new Database(file, { readonly: true });
  const largest = raw
    .prepare('SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM runs GROUP BY task_name)')
    .pluck();
  let appended = 0;
  let most = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    // Bursts: 70 of every 100 records go to task0, the rest round the other tasks.
    const task = appended % 100 < 70 ? 0 : 1 + (appended % (TASKS - 1));
    log.append({
      taskName: `task${task}`,
      action: 'run',
      created: new Date(),
      runId: `r${appended}`,
    });
    appended++;
    if (appended % 10 === 0) most = Math.max(most, largest.get() as number);
  }
  const total = raw.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
  raw.close();
  log.close();
  return {
    perTask,
    tasks: TASKS,
    appendsPerSecond: appended / seconds,
    appended,
    mostRowsOfOneTask: most,
    rowsAtEnd: total,
  };
}
