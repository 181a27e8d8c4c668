import { App, Private, Return, afterSuccess, daily, every } from '@apogee/core';
import { runFor, useFakeClock } from '@apogee/test-utils';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, SqliteRunLog, SqliteRunLogError } from './index';

let dir: string;
let file: string;
const logs: SqliteRunLog[] = [];

function openLog(options?: ConstructorParameters<typeof SqliteRunLog>[1]): SqliteRunLog {
  const log = new SqliteRunLog(file, options);
  logs.push(log);
  return log;
}

useFakeClock(new Date('2026-05-04T08:00:00Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-sqlite-'));
  file = join(dir, 'runs.db');
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One "process": a fresh app on the same file, run for `ms` of fake time. */
async function session(ms: number, build: (app: App) => void): Promise<App> {
  const app = new App({ log: openLog(), config: { timezone: 'UTC' } });
  build(app);
  await runFor(app, ms);
  return app;
}

describe('restart semantics', () => {
  it('does not rerun a daily task the same day after a restart, and runs it the next day', async () => {
    let runs = 0;
    const daily1 = (app: App) => app.task({ name: 'report', start: daily }, () => ++runs);
    await session(1000, daily1);
    expect(runs).toBe(1);
    jest.setSystemTime(new Date('2026-05-04T15:00:00Z'));
    const second = await session(1000, daily1);
    expect(runs).toBe(1);
    expect(second.session.get('report').status).toBe('success');
    expect(second.session.get('report').lastSuccess).toEqual(new Date('2026-05-04T08:00:00Z'));
    jest.setSystemTime(new Date('2026-05-05T00:30:00Z'));
    await session(1000, daily1);
    expect(runs).toBe(2);
  });

  it('keeps afterSuccess and Return across a restart', async () => {
    await session(1000, (app) => {
      app.task({ name: 'fetch' }, () => ({ rows: [1, 2, 3] })).run();
    });
    const seen: unknown[] = [];
    const consumer = (app: App) => {
      app.task({ name: 'fetch' }, () => ({ rows: [] }));
      app.task({ name: 'store', start: afterSuccess('fetch'), inject: [Return('fetch')] }, (data: unknown) =>
        seen.push(data),
      );
    };
    const second = await session(1000, consumer);
    expect(seen).toEqual([{ rows: [1, 2, 3] }]);
    expect(second.session.returns.get('fetch')).toEqual({ rows: [1, 2, 3] });
    await session(1000, consumer);
    expect(seen).toHaveLength(1); // store already ran after that success
  });

  it('restores consecutive failures, so retry(n) counts across a restart', async () => {
    const failing = (app: App) =>
      app.task({ name: 'flaky', start: 'every 1 minute' }, () => Promise.reject(new Error('down')));
    await session(125_000, failing);
    const [state] = openLog()
      .restore()
      .filter((t) => t.taskName === 'flaky');
    expect(state?.consecutiveFails).toBe(3);
    expect(state?.status).toBe('fail');
  });
});

describe('records', () => {
  it('stores every field of a record, errors with message and stack, and JSON return values', async () => {
    const app = await session(61_000, (a) => {
      let n = 0;
      a.task({ name: 'job', start: every('1 minute') }, () => {
        if (++n === 2) throw new Error('second run fails');
        return { n, when: 'now' };
      });
    });
    const stored = await openLog().records({ taskName: 'job' });
    expect(stored.map((r) => r.action)).toEqual(['run', 'success', 'run', 'fail']);
    expect(stored[1]).toMatchObject({
      taskName: 'job',
      action: 'success',
      returnValue: { n: 1, when: 'now' },
      runtime: 0,
    });
    expect(stored[1]?.runId).toBe(stored[0]?.runId);
    expect(stored[3]?.error).toBeInstanceOf(Error);
    expect((stored[3]?.error as Error).message).toBe('second run fails');
    expect((stored[3]?.error as Error).stack).toContain('second run fails');
    expect(await app.logs.records({ action: 'fail' })).toHaveLength(1);
  });

  it('never writes Private values, and skips return values JSON cannot hold', async () => {
    await session(1000, (app) => {
      app.task({ name: 'secret' }, () => ({ password: new Private('hunter2') })).run();
      app.task({ name: 'fn' }, () => () => 1).run();
    });
    const raw = new Database(file, { readonly: true });
    const values = raw.prepare('SELECT return_value FROM runs WHERE return_value IS NOT NULL').all() as {
      return_value: string;
    }[];
    raw.close();
    expect(values.map((v) => v.return_value)).toEqual(['{"password":"*****"}']);
  });
});

describe('crash detection', () => {
  /** A process that started run r1 of `etl` at 07:00 and died before its end. */
  function leaveRunOpen(): void {
    const first = openLog();
    first.append({
      taskName: 'etl',
      action: 'run',
      created: new Date('2026-05-04T07:00:00Z'),
      runId: 'r1',
      start: new Date('2026-05-04T07:00:00Z'),
    });
    first.close();
  }

  it('records a run left open by a crash as crash at the next start', async () => {
    leaveRunOpen();
    const app = await session(10, (a) => a.task({ name: 'etl', start: daily }, () => undefined));
    const records = await app.logs.records({ taskName: 'etl' });
    expect(records.slice(0, 2).map((r) => [r.action, r.runId])).toEqual([
      ['run', 'r1'],
      ['crash', 'r1'],
    ]);
    expect(records[1]?.runtime).toBe(3_600_000);
    // The crashed run counts as the day's run: the daily task does not run again that day.
    expect(records.slice(2).map((r) => r.action)).toEqual([]);
  });

  it("runs the day's task again after a crash with rerunCrashed (Rocketry's way)", async () => {
    leaveRunOpen();
    const app = await session(10, (a) =>
      a.task({ name: 'etl', start: daily, rerunCrashed: true }, () => undefined),
    );
    const records = await app.logs.records({ taskName: 'etl' });
    expect(records.map((r) => r.action)).toEqual(['run', 'crash', 'run', 'success']);
  });
});

describe('retention', () => {
  it('keeps at most perTask records per task', () => {
    const log = openLog({ retention: { perTask: 10 } });
    for (let i = 0; i < 25; i++) {
      log.append({
        taskName: i % 2 === 0 ? 'a' : 'b',
        action: 'run',
        created: new Date(Date.now() + i),
        runId: `r${i}`,
      });
    }
    expect(log.prune()).toBe(5);
    const counts = new Database(file, { readonly: true })
      .prepare('SELECT task_name, COUNT(*) AS n FROM runs GROUP BY task_name')
      .all();
    expect(counts).toEqual([
      { task_name: 'a', n: 10 },
      { task_name: 'b', n: 10 },
    ]);
  });

  it('drops records older than maxAge, in the background after enough writes', async () => {
    const log = openLog({ retention: { maxAge: '1 day' } });
    const old = new Date('2026-05-01T00:00:00Z');
    for (let i = 0; i < 499; i++)
      log.append({ taskName: 't', action: 'run', created: old, runId: `old${i}` });
    log.append({ taskName: 't', action: 'run', created: new Date(), runId: 'new' });
    await jest.advanceTimersByTimeAsync(10);
    expect((await log.records()).map((r) => r.runId)).toEqual(['new']);
  });

  it('keeps start-up state even when the history behind it is pruned', () => {
    const log = openLog({ retention: { perTask: 1 } });
    log.append({ taskName: 't', action: 'run', created: new Date(), runId: 'a' });
    log.append({ taskName: 't', action: 'success', created: new Date(), runId: 'a', returnValue: 7 });
    log.prune();
    const [state] = log.restore();
    expect(state).toMatchObject({ taskName: 't', status: 'success', returnValue: { value: 7 } });
    expect(Object.keys(state?.last ?? {})).toEqual(expect.arrayContaining(['run', 'success']));
  });
});

describe('the file', () => {
  it('migrates a file of an older schema on open, keeping its history', () => {
    const old = new Database(file);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    const insert = old.prepare(
      'INSERT INTO runs (task_name, action, created, run_id, start, return_value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    insert.run('t', 'run', 1000, 'a', 1000, null);
    insert.run('t', 'fail', 2000, 'a', 1000, null);
    insert.run('t', 'run', 3000, 'b', 3000, null);
    insert.run('t', 'success', 4000, 'b', 3000, '"ok"');
    insert.run('t', 'run', 5000, 'c', 5000, null);
    old.close();
    const log = openLog();
    expect(new Database(file, { readonly: true }).pragma('user_version', { simple: true })).toBe(
      SqliteRunLog.SCHEMA_VERSION,
    );
    const [state] = log.restore();
    expect(state).toMatchObject({
      taskName: 't',
      status: 'crash',
      consecutiveFails: 0,
      returnValue: { value: 'ok' },
    });
    expect(state?.last.success?.at).toEqual(new Date(4000));
  });

  it('refuses a file written by a newer version, saying so', () => {
    const newer = new Database(file);
    newer.pragma(`user_version = ${SqliteRunLog.SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => openLog()).toThrow(SqliteRunLogError);
    const { SCHEMA_VERSION: v } = SqliteRunLog;
    expect(() => openLog()).toThrow(
      `written by a newer version of @apogee/sqlite (schema version ${String(v + 1)}; this version reads up to ${String(v)})`,
    );
  });

  it('names the file and the fix when it is corrupted or cannot be opened', () => {
    writeFileSync(
      file,
      'this is not a database, just some text that is long enough to look like a header...',
    );
    expect(() => openLog()).toThrow(
      new RegExp(
        `SqliteRunLog: run log "${file}": cannot open it \\(file is not a database\\)[\\s\\S]*restore it from a backup`,
      ),
    );
    expect(() => new SqliteRunLog(dir)).toThrow(/cannot open it[\s\S]*Check that the directory exists/);
  });

  it('lets a second process read consistent data while the scheduler writes', async () => {
    await session(181_000, (app) => app.task({ name: 'tick', start: every('1 minute') }, () => 'ok'));
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)}, { readonly: true });
      const rows = db.prepare("SELECT action, COUNT(*) AS n FROM runs GROUP BY action ORDER BY action").all();
      console.log(JSON.stringify(rows));`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([
      { action: 'run', n: 4 },
      { action: 'success', n: 4 },
    ]);
  });

  it('fails a write on a file locked by another writer with a clear error', () => {
    const log = openLog({ busyTimeoutMs: 10 });
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => {
        log.append({ taskName: 't', action: 'run', created: new Date(), runId: 'x' });
      }).toThrow(
        /cannot store a "run" record of task "t" \(database is locked\)[\s\S]*Another process holds a write lock/,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
