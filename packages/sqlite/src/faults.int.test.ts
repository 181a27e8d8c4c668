import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SqliteRunLog } from './index';

// Real processes on real files: the faults are a file deleted or replaced under a running app,
// a restart after kill -9, and a disk that refuses writes (a file size limit: `ulimit -f`, with
// SIGXFSZ ignored so that a write past it fails as it does on a full disk instead of killing).
jest.setTimeout(120_000);

const root = resolve(__dirname, '../../..');
let dir: string;
let file: string;
let side: string;
const children: AppProcess[] = [];

class AppProcess {
  readonly lines: string[] = [];
  private readonly waiters: { pattern: RegExp; done: (line: string) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessByStdio<null, Readable, null>) {
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      partial += chunk.toString();
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.take(line);
    });
    this.exited = new Promise((done) => child.once('exit', done));
  }

  /** Resolves with the first line (printed before or after) that matches `pattern`. */
  waitFor(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((done, fail) => {
      this.waiters.push({ pattern, done });
      void this.exited.then((code) => {
        fail(
          new Error(
            `the app exited (${String(code)}) before printing ${String(pattern)}:\n${this.lines.join('\n')}`,
          ),
        );
      });
    });
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private take(line: string): void {
    this.lines.push(line);
    for (const waiter of this.waiters.filter((w) => w.pattern.test(line))) waiter.done(line);
  }
}

/** Starts `fixtures/faultApp.ts` on the file; with `fileSizeLimitKb`, under `ulimit -f`. */
function startApp(fileSizeLimitKb?: number): AppProcess {
  const fixture = join(__dirname, 'fixtures', 'faultApp.ts');
  const command = `${fileSizeLimitKb === undefined ? '' : `trap '' XFSZ; ulimit -f ${String(fileSizeLimitKb)}; `}exec "$0" --import tsx "$@"`;
  const child = spawn('bash', ['-c', command, process.execPath, fixture, file, side], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const app = new AppProcess(child);
  children.push(app);
  return app;
}

function dailyRuns(): number {
  return existsSync(side)
    ? readFileSync(side, 'utf8')
        .split('\n')
        .filter((l) => l === 'daily').length
    : 0;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-faults-'));
  file = join(dir, 'runs.db');
  side = join(dir, 'side.txt');
});

afterEach(async () => {
  for (const app of children.splice(0)) await app.kill9();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Once `first` has recreated its file: kill -9, a restart on the file, and its first checks (the
 * second tick) past; `daily`, which ran in the first process, must not have run again.
 */
async function killAndRestartOnceRecreated(first: AppProcess): Promise<void> {
  await first.waitFor(/^warning APOGEE_SQLITE_FILE_RECREATED /);
  await first.kill9();
  const second = startApp();
  await second.waitFor(/^ticked$/);
  expect(dailyRuns()).toBe(1);
  await second.kill9();
}

describe('a file deleted or replaced under a running app', () => {
  it('is noticed, reported and recreated with its history: daily does not run again after kill -9 and a restart', async () => {
    const first = startApp();
    await first.waitFor(/^ticked$/);
    expect(dailyRuns()).toBe(1);
    rmSync(file);
    await first.waitFor(/^warning APOGEE_SQLITE_FILE_REPLACED .*runs\.db": the file was deleted/);
    await killAndRestartOnceRecreated(first);
    // The whole history was copied: the first process's runs of both tasks are there.
    const log = new SqliteRunLog(file);
    const daily = await log.records({ taskName: 'daily' });
    log.close();
    expect(daily.map((r) => r.action)).toEqual(['run', 'success']);
  });

  it('writes the state a restart needs into a file put in its place', async () => {
    const first = startApp();
    await first.waitFor(/^ticked$/);
    // Another file is moved over it, as a restore from an old backup would.
    const other = join(dir, 'other.db');
    const backup = new SqliteRunLog(other);
    backup.restore();
    backup.append({ taskName: 'old', action: 'success', created: new Date(), runId: 'b1' });
    backup.close();
    renameSync(other, file);
    await first.waitFor(/^warning APOGEE_SQLITE_FILE_REPLACED .*replaced by another file/);
    await killAndRestartOnceRecreated(first);
    const log = new SqliteRunLog(file);
    const tasks = log.restore().map((t) => [t.taskName, t.status]);
    log.close();
    expect(tasks).toEqual(
      expect.arrayContaining([
        ['old', 'success'],
        ['daily', 'success'],
      ]),
    );
  });
});

describe('a damaged file', () => {
  it('is refused when opened, naming the file, the damage and the fix', () => {
    const log = new SqliteRunLog(file);
    log.restore();
    for (let i = 0; i < 2000; i++)
      log.append({
        taskName: `t${i % 7}`,
        action: 'success',
        created: new Date(),
        runId: `r${i}`,
        returnValue: 'x'.repeat(100),
      });
    log.close();
    const pageSize = 4096;
    const raw = new Database(file, { readonly: true });
    const pages = raw.pragma('page_count', { simple: true }) as number;
    raw.close();
    // Garbage over pages in the middle of the file, as a failing disk or a stray write leaves it.
    const bytes = readFileSync(file);
    for (let page = Math.floor(pages / 2); page < Math.floor(pages / 2) + 3; page++)
      bytes.fill(0x5a, page * pageSize, (page + 1) * pageSize);
    writeFileSync(file, bytes);
    expect(() => new SqliteRunLog(file)).toThrow(
      new RegExp(
        `SqliteRunLog: run log "${file}": its pages are damaged \\(PRAGMA quick_check: [^)]+\\)[\\s\\S]*Fix: .*move it aside`,
      ),
    );
  });
});

describe('a start that fails', () => {
  it('reports why, naming the file and the fix, on a disk that refuses writes', async () => {
    const first = startApp();
    await first.waitFor(/^ticked$/);
    await first.kill9();
    // A damaged value (quick_check reads pages, not values) and a disk that refuses every write.
    const raw = new Database(file);
    raw
      .prepare("UPDATE task_state SET has_return = 1, return_value = '{oops' WHERE task_name = 'daily'")
      .run();
    raw.close();
    const app = startApp(4);
    const failed = await app.waitFor(/^failed /);
    expect(failed).toContain(`SqliteRunLog: run log "${file}": cannot restore task state`);
    expect(failed).toMatch(/Fix: The file is damaged: move it aside/);
  });
});

describe('a full disk', () => {
  it('lets the app start with the state of the file, holding records in memory with one warning per cause a minute', async () => {
    const first = startApp();
    await first.waitFor(/^ticked$/);
    await first.kill9();

    // A file size limit of 4 KB: the file can be read, but no write goes past its first page.
    const full = startApp(4);
    await full.waitFor(/^ticked$/);
    await full.waitFor(
      /^warning APOGEE_STORE_FAILED .*could not store a "\w+" record of task "\w+": disk I\/O error/,
    );
    expect(dailyRuns()).toBe(1);
    await full.kill9();
    const refused = full.lines.filter((line) => /could not store a "\w+" record/.test(line));
    // At least 4 records (two ticks, each a run and a success) were refused, in one line.
    expect(refused).toHaveLength(1);
    expect(full.lines.filter((line) => /^failed /.test(line))).toEqual([]);
  });

  it('keeps a running app going and stores the held records, in order, once there is room again', async () => {
    const app = startApp();
    await app.waitFor(/^ticked$/);
    const pid = String(app.child.pid);
    // The soft limit only: lowering the hard one could not be undone without privileges.
    execFileSync('prlimit', ['--pid', pid, '--fsize=4096:unlimited']);
    await app.waitFor(/^warning APOGEE_STORE_FAILED .*could not store a "\w+" record/);
    execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']);
    await app.waitFor(/^warning APOGEE_SQLITE_HELD_STORED .*stored the [1-9]\d* writes held in memory/);
    await app.kill9();
    const log = new SqliteRunLog(file);
    const ticks = await log.records({ taskName: 'tick' });
    log.close();
    // Every run of the ticker is there, each run followed by its end: none was lost.
    const actions = ticks.map((r) => r.action);
    expect(actions.length).toBeGreaterThanOrEqual(6);
    expect(actions.join(' ')).toMatch(/^run success( run success)*( run)?$/);
  });
});

describe('the WAL', () => {
  it('stays bounded under a burst of records and is truncated when the app releases the file', () => {
    const wal = (): number => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    const log = new SqliteRunLog(file);
    log.restore();
    let largest = 0;
    for (let i = 0; i < 2000; i++) {
      log.append({ taskName: `t${i % 20}`, action: 'success', created: new Date(), runId: `r${i}` });
      largest = Math.max(largest, wal());
    }
    log.release();
    const released = wal();
    log.close();
    // 400 pages of 4 KB before a checkpoint, plus the frames of the transaction that crossed it
    // (SQLite's defaults let it reach 4.1 MB and stay there).
    expect(largest).toBeLessThan(2 * 1024 * 1024);
    expect(released).toBe(0);
  });
});
