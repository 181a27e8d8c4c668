import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';
import { RETENTION_STEP_EVERY, RETENTION_STEP_SIZE } from './Retention';
import { useFakeClock } from '@apogee/test-utils';

let dir: string;
let file: string;
const open: { close(): void }[] = [];

useFakeClock(new Date('2026-05-04T08:00:00Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-retention-'));
  file = join(dir, 'runs.db');
});

afterEach(() => {
  for (const handle of open.splice(0)) handle.close();
  rmSync(dir, { recursive: true, force: true });
});

function openLog(perTask?: number): SqliteRunLog {
  const log = new SqliteRunLog(file, perTask === undefined ? {} : { retention: { perTask } });
  open.push(log);
  return log;
}

/** A second connection that counts the rows in the file, as another process would see them. */
function counter(): { total(): number; largestTask(): number } {
  const raw = new Database(file, { readonly: true });
  open.push(raw);
  const total = raw.prepare('SELECT COUNT(*) FROM runs').pluck();
  const largest = raw
    .prepare('SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM runs GROUP BY task_name)')
    .pluck();
  return { total: () => total.get() as number, largestTask: () => (largest.get() as number | null) ?? 0 };
}

describe('retention in bounded steps', () => {
  it('holds perTask when 20,000 records are appended in a tight loop, deleting at most one step at a time', () => {
    const perTask = 1000;
    const log = openLog(perTask);
    const rows = counter();
    const tasks = ['hot', 'warm', 'cold'];
    let largest = 0;
    let largestStep = 0;
    let before = 0;
    for (let i = 0; i < 20_000; i++) {
      // Bursts on one task: 70 of every 100 records go to "hot".
      const taskName = i % 100 < 70 ? 'hot' : (tasks[i % 3] as string);
      log.append({ taskName, action: 'run', created: new Date(), runId: `r${i}` });
      const total = rows.total();
      largestStep = Math.max(largestStep, before + 1 - total);
      before = total;
      if (i % 25 === 0 || i % RETENTION_STEP_EVERY === RETENTION_STEP_EVERY - 2) {
        largest = Math.max(largest, rows.largestTask());
      }
    }
    expect(largest).toBeGreaterThan(perTask);
    expect(largest).toBeLessThanOrEqual(perTask + RETENTION_STEP_EVERY);
    expect(rows.total()).toBeLessThanOrEqual(tasks.length * perTask + RETENTION_STEP_EVERY);
    expect(largestStep).toBeGreaterThan(0);
    expect(largestStep).toBeLessThanOrEqual(RETENTION_STEP_SIZE);
  });

  it('drains a backlog left by a lower cap in steps of at most 500, one per turn of the event loop', async () => {
    const writer = openLog();
    for (let i = 0; i < 2600; i++) {
      writer.append({ taskName: `t${i % 2}`, action: 'success', created: new Date(), runId: `r${i}` });
    }
    writer.close();
    const log = openLog(100);
    const rows = counter();
    log.restore();
    const seen = [rows.total()];
    for (let turn = 0; turn < 6; turn++) {
      jest.advanceTimersToNextTimer();
      seen.push(rows.total());
    }
    // Five steps for 2,400 records too many; the drain stops after the last, short one.
    expect(seen).toEqual([2600, 2100, 1600, 1100, 600, 200, 200]);
    expect(rows.largestTask()).toBe(100);
    // The count the steps rely on is the true one.
    expect(await log.records({ taskName: 't0' })).toHaveLength(100);
  });
});
