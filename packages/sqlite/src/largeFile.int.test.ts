import { warningLogger, waitFor } from '@apogee/test-utils';
import { StoreWarnings } from '@apogee/core/internal';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WHOLE_CHECK_PAGES } from './checkPages';
import { HistoryCheck } from './HistoryCheck';
import { SqliteRunLog } from './index';

// Real files: a file too large to check whole while it opens (its history is checked on a worker
// thread after the start) keeps the start's own tables checked at open.
jest.setTimeout(60_000);

const TASKS = 50;
const PAGE_SIZE = 4096;
let dir: string;
let pristine: string;
let file: string;

// Built once: each test damages a copy. The app's own appends keep every task's last records and
// state; the history's bulk is written as an older process left it (the start reads none of it).
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-large-'));
  pristine = join(dir, 'pristine.db');
  new SqliteRunLog(pristine).close();
  const raw = new Database(pristine);
  const payload = 'x'.repeat(900);
  const insert = raw.prepare(
    "INSERT INTO runs (task_name, action, created, run_id, return_value) VALUES (?, 'success', ?, ?, ?)",
  );
  const rows = (WHOLE_CHECK_PAGES * PAGE_SIZE * 1.5) / payload.length;
  raw.transaction(() => {
    for (let i = 0; i < rows; i++)
      insert.run(`t${i % TASKS}`, 1_600_000_000_000 + i, `old${i}`, JSON.stringify(payload));
  })();
  raw.close();
  const log = new SqliteRunLog(pristine);
  log.restore();
  for (let i = 0; i < 2 * TASKS; i++) {
    const at = new Date(1_700_000_000_000 + i * 1000);
    const taskName = `t${i % TASKS}`;
    log.append({ taskName, action: 'run', created: at, runId: `r${i}` });
    log.append({
      taskName,
      action: i < TASKS && i % 10 === 0 ? 'fail' : 'success',
      created: at,
      runId: `r${i}`,
      returnValue: i,
    });
  }
  log.close();
});

beforeEach(() => {
  file = join(dir, `runs-${String(Date.now())}.db`);
  copyFileSync(pristine, file);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Overwrites with garbage `count` pages of `table` from the middle of its pages, as a failing disk would. */
function damage(table: string, count: number): void {
  const raw = new Database(file, { readonly: true });
  const pages = raw
    .prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno')
    .pluck()
    .all(table) as number[];
  raw.close();
  const bytes = readFileSync(file);
  const from = Math.floor(pages.length / 2);
  for (const page of pages.slice(from, from + count))
    bytes.fill(0x5a, (page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  writeFileSync(file, bytes);
}

function pageCount(): number {
  const raw = new Database(file, { readonly: true });
  const pages = raw.pragma('page_count', { simple: true }) as number;
  raw.close();
  return pages;
}

describe('a file too large to check whole while it opens', () => {
  it('is larger than the whole-file check takes', () => {
    expect(pageCount()).toBeGreaterThan(WHOLE_CHECK_PAGES);
  });

  it('restores every task state, with damaged history pages, and reports the damage after the start', async () => {
    damage('runs', 3);
    const { logger, warnings } = warningLogger();
    const log = new SqliteRunLog(file);
    log.useLogger(logger);
    try {
      const tasks = log.restore();
      expect(tasks).toHaveLength(TASKS);
      const t3 = tasks.find((task) => task.taskName === 't3');
      expect(t3).toMatchObject({ status: 'success', consecutiveFails: 0, returnValue: { value: TASKS + 3 } });
      expect(t3?.last.run?.at).toEqual(new Date(1_700_000_000_000 + (TASKS + 3) * 1000));
      const t0 = tasks.find((task) => task.taskName === 't0');
      expect(t0?.last.fail?.at).toEqual(new Date(1_700_000_000_000));
      const warning = await waitFor('the damage report', () =>
        warnings.find((w) => w.includes('its pages are damaged')),
      );
      expect(warning).toContain(`SqliteRunLog "${file}"`);
      expect(warning).toMatch(
        /PRAGMA quick_check, after the start: [\s\S]+\); [\s\S]*Fix: stop the app and move the file aside/,
      );
    } finally {
      log.close();
    }
  });

  it('is refused when opened if the pages of the state a start reads are damaged', () => {
    damage('task_state', 1);
    expect(() => new SqliteRunLog(file)).toThrow(
      new RegExp(
        // A page the check cannot even read fails it with SQLite's own word for it.
        `SqliteRunLog: run log "${file}": (its pages are damaged|cannot open it \\(database disk image is malformed)[\\s\\S]*Fix: .*move it aside`,
      ),
    );
  });

  it('reports nothing when its history is whole', async () => {
    const reported: string[] = [];
    const warnings = new StoreWarnings(`SqliteRunLog "${file}"`, undefined, (message) => {
      reported.push(message);
    });
    const check = new HistoryCheck(file, 250, warnings, 0);
    await check.finished;
    expect(reported).toEqual([]);
  });

  it('reports the damage a check on its own thread finds, and nothing once stopped', async () => {
    damage('runs', 3);
    const reported: string[] = [];
    const warnings = new StoreWarnings(`SqliteRunLog "${file}"`, undefined, (message) => {
      reported.push(message);
    });
    const found = new HistoryCheck(file, 250, warnings, 0);
    await found.finished;
    expect(reported).toEqual([expect.stringMatching(/its pages are damaged/)]);
    const stopped = new HistoryCheck(file, 250, warnings, 0);
    stopped.stop();
    await stopped.finished;
    expect(reported).toHaveLength(1);
  });
});
