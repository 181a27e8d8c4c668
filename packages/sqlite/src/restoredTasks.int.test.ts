import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';
import { restoredTasks } from './restoredTasks';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-restored-'));
  file = join(dir, 'runs.db');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const at = (s: number): Date => new Date(1_700_000_000_000 + s * 1000);

describe('restoredTasks', () => {
  it("reads every task's status, last records, failure streak and return value in one read", () => {
    const log = new SqliteRunLog(file);
    log.restore();
    log.append({ taskName: 'object', action: 'run', created: at(1), runId: 'a' });
    log.append({
      taskName: 'object',
      action: 'success',
      created: at(2),
      runId: 'a',
      returnValue: { n: [1, 'two'] },
    });
    log.append({ taskName: 'null', action: 'success', created: at(3), runId: 'b', returnValue: null });
    log.append({ taskName: 'none', action: 'success', created: at(4), runId: 'c' });
    log.append({ taskName: 'failing', action: 'fail', created: at(5), runId: 'd' });
    log.append({ taskName: 'failing', action: 'fail', created: at(6), runId: 'e' });
    log.append({ taskName: 'quote"d', action: 'run', created: at(7), runId: 'f', returnValue: 'x' });
    log.close();
    const db = new Database(file);
    // A state row with no last records (a file whose history was emptied by hand).
    db.prepare("INSERT INTO task_state (task_name, status) VALUES ('bare', NULL)").run();
    const tasks = restoredTasks(db);
    db.close();
    const byName = new Map(tasks.map((t) => [t.taskName, t]));
    expect([...byName.keys()].sort()).toEqual(['bare', 'failing', 'none', 'null', 'object', 'quote"d']);
    expect(byName.get('object')).toEqual({
      taskName: 'object',
      status: 'success',
      last: { run: { at: at(1), sequence: 1 }, success: { at: at(2), sequence: 2 } },
      consecutiveFails: 0,
      returnValue: { value: { n: [1, 'two'] } },
    });
    expect(byName.get('null')?.returnValue).toEqual({ value: null });
    expect(byName.get('none')).not.toHaveProperty('returnValue');
    expect(byName.get('failing')).toMatchObject({
      status: 'fail',
      consecutiveFails: 2,
      last: { fail: { at: at(6) } },
    });
    expect(byName.get('quote"d')).toMatchObject({ status: 'run', last: { run: { at: at(7), sequence: 7 } } });
    expect(byName.get('bare')).toEqual({
      taskName: 'bare',
      status: undefined,
      last: {},
      consecutiveFails: 0,
    });
  });
});
