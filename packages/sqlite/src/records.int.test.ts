import type { RunQuery } from '@apogee/core';
import { expectCursorPagingMatchesOffsets } from '@apogee/test-utils';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';
import { recordsQuery } from './recordsQuery';

const ROWS = 200_000;
let dir: string;
let file: string;
let log: SqliteRunLog;

// One large file for the whole suite: 200,000 records of four tasks, one in 25 a failure.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-records-'));
  file = join(dir, 'runs.db');
  new SqliteRunLog(file).close();
  const db = new Database(file);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO runs (task_name, action, created, run_id)
    SELECT 'task' || (i % 4), CASE WHEN i % 25 = 2 THEN 'fail' ELSE 'run' END, i, 'r' || i FROM n`);
  db.close();
  log = new SqliteRunLog(file);
});

afterAll(() => {
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = async (query: RunQuery): Promise<string[]> => (await log.records(query)).map((r) => r.runId);

describe('records() on a large file', () => {
  it('returns only the newest record for limit: 1', async () => {
    const [only, ...rest] = await log.records({ limit: 1 });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      taskName: 'task0',
      action: 'run',
      runId: `r${ROWS}`,
      created: new Date(ROWS),
    });
  });

  it('filters by task and action, and returns a page of the newest matches oldest first', async () => {
    expect(await ids({ taskName: 'task1', limit: 3 })).toEqual(['r199989', 'r199993', 'r199997']);
    expect(await ids({ action: 'fail', limit: 2 })).toEqual(['r199952', 'r199977']);
    expect(await ids({ taskName: 'task2', action: 'fail', limit: 2 })).toEqual(['r199802', 'r199902']);
    expect(await ids({ taskName: 'nobody', limit: 5 })).toEqual([]);
  });

  it('pages back through the history with offset, each page oldest first, until it runs out', async () => {
    expect(await ids({ taskName: 'task3', limit: 2, offset: 2 })).toEqual(['r199987', 'r199991']);
    expect(await ids({ limit: 3, offset: ROWS - 2 })).toEqual(['r1', 'r2']);
    expect(await ids({ limit: 3, offset: ROWS })).toEqual([]);
    // Pages of the 8,000 failures put together are exactly the whole filtered history.
    const pages: string[][] = [];
    for (let offset = 0; offset < 8000; offset += 700)
      pages.unshift(await ids({ action: 'fail', limit: 700, offset }));
    expect(pages.flat()).toEqual(await ids({ action: 'fail' }));
    expect(await ids({ action: 'fail', offset: 7998 })).toEqual(['r2', 'r27']);
  });

  it('reads the page after one it just read below that page, and by its offset once anything was written', async () => {
    // A walk of task3's 50,000 records in pages of 1,000 gives the whole history, as one read does.
    const pages: string[][] = [];
    for (let offset = 0; offset < ROWS / 4; offset += 1000)
      pages.unshift(await ids({ taskName: 'task3', limit: 1000, offset }));
    expect(pages.flat()).toEqual(await ids({ taskName: 'task3' }));
    // A record written by another connection between two pages shifts the next page by one, as
    // RunQuery.offset says, instead of the page continuing below the last one read.
    await ids({ taskName: 'task3', limit: 10, offset: 0 });
    const other = new Database(file);
    try {
      other
        .prepare("INSERT INTO runs (task_name, action, created, run_id) VALUES ('task3', 'run', ?, 'late')")
        .run(ROWS + 1);
      const fresh = new SqliteRunLog(file);
      try {
        const expected = (await fresh.records({ taskName: 'task3', limit: 10, offset: 10 })).map(
          (r) => r.runId,
        );
        expect(await ids({ taskName: 'task3', limit: 10, offset: 10 })).toEqual(expected);
        expect(expected.at(-1)).toBe('r199963'); // without 'late', r199959
      } finally {
        fresh.close();
      }
    } finally {
      other.prepare("DELETE FROM runs WHERE run_id = 'late'").run();
      other.close();
    }
  });

  it('reads a page through the index of its filter, never sorting or scanning the history', () => {
    const raw = new Database(file, { readonly: true });
    const plan = (query: RunQuery): string[] => {
      const { sql, args } = recordsQuery(query);
      return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
        (r) => r.detail,
      );
    };
    try {
      // The table itself is in id order: walking it backwards stops after the page.
      expect(plan({ limit: 1 })).toEqual(['SCAN runs']);
      expect(plan({ taskName: 't', limit: 1 })).toEqual([
        'SEARCH runs USING INDEX runs_by_task (task_name=?)',
      ]);
      expect(plan({ action: 'fail', limit: 1 })).toEqual([
        'SEARCH runs USING INDEX runs_by_action (action=?)',
      ]);
      expect(plan({ taskName: 't', action: 'fail', limit: 1, offset: 10 })).toEqual([
        'SEARCH runs USING INDEX runs_by_task_action (task_name=? AND action=?)',
      ]);
      // The page after a remembered one: its start found in the index, nothing stepped over.
      const below = recordsQuery({ taskName: 't', limit: 10, offset: 10 }, 500);
      expect(
        (raw.prepare(`EXPLAIN QUERY PLAN ${below.sql}`).all(...below.args) as { detail: string }[]).map(
          (r) => r.detail,
        ),
      ).toEqual(['SEARCH runs USING INDEX runs_by_task (task_name=? AND id<?)']);
    } finally {
      raw.close();
    }
  });

  it('pages back with before cursors to the same records as offsets, through the indexes', async () => {
    expect(await expectCursorPagingMatchesOffsets(log, { taskName: 'task3', action: 'fail' }, 300)).toBe(
      2000,
    );
    expect(await expectCursorPagingMatchesOffsets(log, { action: 'fail' }, 999)).toBe(8000);
    expect(await ids({ taskName: 'task1', limit: 2, before: { runId: 'r9', action: 'run' } })).toEqual([
      'r1',
      'r5',
    ]);
    expect(await ids({ limit: 2, offset: 1, before: { runId: 'r9', action: 'run' } })).toEqual(['r6', 'r7']);
    expect(await ids({ before: { runId: 'r9', action: 'fail' } })).toEqual([]);
    expect(await ids({ before: { runId: 'gone', action: 'run' } })).toEqual([]);
    const raw = new Database(file, { readonly: true });
    try {
      const { sql, args } = recordsQuery({
        taskName: 't',
        limit: 10,
        before: { runId: 'r9', action: 'run' },
      });
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan).toContain('SEARCH runs USING INDEX runs_by_task (task_name=? AND id<?)');
      expect(plan).toContain('SEARCH runs USING INDEX runs_by_run (run_id=?)');
    } finally {
      raw.close();
    }
  });

  it('refuses a limit or offset that is not a whole number', async () => {
    await expect(log.records({ limit: -1 })).rejects.toThrow(
      /records\(\{ limit \}\) must be a whole number of at least 0, got -1/,
    );
    await expect(log.records({ offset: 1.5 })).rejects.toThrow(/offset/);
  });
});
