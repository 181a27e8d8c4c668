import { expectOutputKeptWithRecords } from '@apogee/test-utils';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-output-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteRunLog run output', () => {
  it("keeps each run's lines in order with their fields, and deletes them with the run's records", async () => {
    const file = join(dir, 'runs.db');
    const log = new SqliteRunLog(file, { retention: { perTask: 4 } });
    try {
      await expectOutputKeptWithRecords(log, () => log.prune());
    } finally {
      log.close();
    }
    // What is left in the file: the two runs kept, three lines each.
    const raw = new Database(file, { readonly: true });
    expect(
      raw.prepare('SELECT run_id, COUNT(*) AS n FROM run_output GROUP BY run_id ORDER BY run_id').all(),
    ).toEqual([
      { run_id: 'o2', n: 3 },
      { run_id: 'o3', n: 3 },
    ]);
    raw.close();
  });

  it('upgrades a file of the previous schema, keeping its records', async () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    const { MIGRATIONS } = await import('./migrations');
    for (const sql of MIGRATIONS.slice(0, -1)) old.exec(sql);
    old.pragma(`user_version = ${String(MIGRATIONS.length - 1)}`);
    old.exec("INSERT INTO runs (task_name, action, created, run_id) VALUES ('t', 'run', 1, 'r1')");
    old.close();
    const log = new SqliteRunLog(file);
    try {
      log.appendOutput('r1', 't', [{ at: new Date(5), level: 'info', message: 'hi' }]);
      expect(await log.output('r1')).toEqual([{ at: new Date(5), level: 'info', message: 'hi' }]);
      expect((await log.records()).map((r) => r.runId)).toEqual(['r1']);
    } finally {
      log.close();
    }
  });
});
