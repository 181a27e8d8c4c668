import { App, Arg, never, Private } from '@apogee/core';
import { runFor, useFakeClock } from '@apogee/test-utils';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, SqliteRunLog } from './index';

/** RunRecord.parameters in the file: kept for every record of a run, a Private never in clear. */
let dir: string;
let file: string;
const logs: SqliteRunLog[] = [];

function openLog(): SqliteRunLog {
  const log = new SqliteRunLog(file);
  logs.push(log);
  return log;
}

useFakeClock(new Date('2026-05-04T08:00:00Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-sqlite-params-'));
  file = join(dir, 'runs.db');
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteRunLog and batch parameters', () => {
  it('stores them with a Private masked, while the task gets it in clear', async () => {
    const app = new App({ log: openLog() });
    const seen: string[] = [];
    app.task({ name: 'load', start: never, inject: [Arg('token')] }, (token: string) => {
      seen.push(token);
    });
    app.task({ name: 'plain', start: never }, () => undefined);
    app.session.get('load').run({ day: '2026-05-03', token: new Private('hunter2') });
    app.session.get('plain').run();
    await runFor(app, 1000);
    expect(seen).toEqual(['hunter2']);
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT task_name, action, parameters FROM runs ORDER BY task_name, id').all();
    raw.close();
    const masked = '{"day":"2026-05-03","token":"*****"}';
    expect(rows).toEqual([
      { task_name: 'load', action: 'run', parameters: masked },
      { task_name: 'load', action: 'success', parameters: masked },
      { task_name: 'plain', action: 'run', parameters: null },
      { task_name: 'plain', action: 'success', parameters: null },
    ]);
    // Read back as stored, by this log and by the next one on the file.
    const again = await openLog().records({ taskName: 'load' });
    expect(again.map((r) => r.parameters)).toEqual([
      { day: '2026-05-03', token: '*****' },
      { day: '2026-05-03', token: '*****' },
    ]);
    const [plain] = await app.logs.records({ taskName: 'plain', limit: 1 });
    expect(plain).not.toHaveProperty('parameters');
  });

  it('adds the column to a file of the previous schema, whose records have none', async () => {
    const old = new Database(file);
    for (const step of MIGRATIONS.slice(0, -1)) old.exec(step);
    old.pragma(`user_version = ${String(MIGRATIONS.length - 1)}`);
    old
      .prepare('INSERT INTO runs (task_name, action, created, run_id, start) VALUES (?, ?, ?, ?, ?)')
      .run('t', 'run', 1000, 'a', 1000);
    old.close();
    const log = openLog();
    log.append({
      taskName: 't',
      action: 'run',
      created: new Date(2000),
      runId: 'b',
      parameters: { n: 2 },
    });
    const records = await log.records({ taskName: 't' });
    expect(records.map((r) => [r.runId, r.parameters])).toEqual([
      ['a', undefined],
      ['b', { n: 2 }],
    ]);
    expect(Object.keys(records[0] ?? {})).not.toContain('parameters');
  });
});
