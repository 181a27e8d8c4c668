import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';

// Above Linux's largest pid (2^22): no process has it, so its owner counts as gone.
const DEAD_PID = 4_194_304 + 4321;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-crash-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a crash record', () => {
  it("ends at the crashed owner's last sign of life, not at the restart", () => {
    const file = join(dir, 'runs.db');
    const start = Date.now() - 60_000;
    const crashed = new SqliteRunLog(file);
    crashed.restore();
    crashed.append({
      taskName: 'etl',
      action: 'run',
      created: new Date(start),
      runId: 'r1',
      start: new Date(start),
    });
    // The owner dies 20 s into the run: its lease was last renewed then, and it never released it.
    const raw = new Database(file);
    raw.prepare("UPDATE owner SET pid = ?, token = 'dead', renewed = ?").run(DEAD_PID, start + 20_000);
    raw.close();
    crashed.close();

    const restarted = new SqliteRunLog(file);
    restarted.restore();
    const crash = restarted.records({ action: 'crash' });
    restarted.close();
    return expect(crash).resolves.toMatchObject([
      { runId: 'r1', runtime: 20_000, start: new Date(start), end: new Date(start + 20_000) },
    ]);
  });
});
