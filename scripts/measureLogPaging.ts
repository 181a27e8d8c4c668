/**
 * Measures how long the event loop is held while 8 clients page a large SQLite log (issue #26):
 * 100,000 records of task "big", an app running a one-second task, and 8 concurrent
 * `GET /runs/nope?task=big` then 8 concurrent `GET /timeline`. Prints the loop delay (max and
 * median, perf_hooks) and the runs the one-second task got. Reads the built packages under ROOT
 * (default: this checkout), so `ROOT=/other/checkout` measures another build the same way.
 *
 *   pnpm build && tsx scripts/measureLogPaging.ts
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const ROOT = resolve(process.env.ROOT ?? join(__dirname, '..'));
const RECORDS = 100_000;
const CLIENTS = 8;

function get(port: number, path: string): Promise<number> {
  return new Promise((done, fail) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => {
        done(res.statusCode ?? 0);
      });
    })
      .on('error', fail)
      .end();
  });
}

async function main(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const core = require(join(ROOT, 'packages/core/dist/index.js')) as typeof import('@apogee/core');
  const { SqliteRunLog } = require(
    join(ROOT, 'packages/sqlite/dist/index.js'),
  ) as typeof import('@apogee/sqlite');
  const { serveControl } = require(
    join(ROOT, 'packages/http/dist/index.js'),
  ) as typeof import('@apogee/http');
  const Database = require(join(ROOT, 'packages/sqlite/node_modules/better-sqlite3')) as new (
    file: string,
  ) => {
    exec(sql: string): void;
    close(): void;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dir = mkdtempSync(join(tmpdir(), 'apogee-measure-'));
  const file = join(dir, 'runs.db');
  new SqliteRunLog(file).close();
  const db = new Database(file);
  const start = Date.now() - RECORDS * 5000;
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${RECORDS - 1})
    INSERT INTO runs (task_name, action, created, run_id, start)
    SELECT 'big', CASE WHEN i % 2 = 0 THEN 'run' ELSE 'success' END, ${start} + i * 5000, 'r' || (i / 2), ${start} + i * 5000 FROM n`);
  db.close();
  // The log's own share of a slice: how long each records() call holds the thread.
  const sqlite = new SqliteRunLog(file);
  const calls: number[] = [];
  const log: import('@apogee/core').RunLog = {
    append: (record) => {
      sqlite.append(record);
    },
    restore: () => sqlite.restore(),
    release: () => {
      sqlite.release();
    },
    appendOutput: (runId, taskName, lines) => {
      sqlite.appendOutput(runId, taskName, lines);
    },
    output: (runId) => sqlite.output(runId),
    records: (query) => {
      const began = performance.now();
      const page = sqlite.records(query);
      calls.push(performance.now() - began);
      return page;
    },
  };
  const app = new core.App({ log });
  app.task({ name: 'big', start: core.never }, () => 'done');
  let ticks = 0;
  app.task({ name: 'tick', start: core.every('1 second') }, () => {
    ticks++;
  });
  const running = app.run();
  const control = await serveControl(app, { port: 0 });
  await new Promise((r) => setTimeout(r, 1500));
  // The same machine with no request: what the loop's delay is made of besides them.
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 3000));
  idle.disable();
  console.log(
    `idle: loop delay max ${(idle.max / 1e6).toFixed(1)} ms, median ${(idle.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  for (const path of ['/runs/nope?task=big', '/timeline']) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const before = ticks;
    const began = Date.now();
    delay.enable();
    calls.length = 0;
    const statuses = await Promise.all(Array.from({ length: CLIENTS }, () => get(control.port, path)));
    delay.disable();
    const sorted = [...calls].sort((a, b) => a - b);
    console.log(
      `${path}: ${calls.length} records() calls, longest ${(sorted.at(-1) ?? 0).toFixed(1)} ms, median ${(sorted[sorted.length >> 1] ?? 0).toFixed(2)} ms`,
    );
    const seconds = (Date.now() - began) / 1000;
    console.log(
      `${path}: ${CLIENTS} clients ${statuses.join(',')} in ${seconds.toFixed(1)} s; loop delay max ${(delay.max / 1e6).toFixed(1)} ms, median ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; one-second task ran ${ticks - before} times`,
    );
  }
  await control.close();
  await app.shutdown();
  await running;
  rmSync(dir, { recursive: true, force: true });
}

void main();
