import { App, every } from '@apogee/core';
import Database from 'better-sqlite3';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SqliteRunLog, SqliteRunLogInUseError } from './index';
import { useFakeClock } from '@apogee/test-utils';

// Real processes on a real file: the fault is two processes scheduling from one file.
const root = resolve(__dirname, '../../..');
let dir: string;
let file: string;
const logs: SqliteRunLog[] = [];
const children: ChildProcessByStdio<Writable, Readable, null>[] = [];

function openLog(): SqliteRunLog {
  const log = new SqliteRunLog(file);
  logs.push(log);
  return log;
}

/** Starts `fixtures/ownerProcess.ts` on the file and resolves once it owns it and has a live run. */
async function startOwner(): Promise<ChildProcessByStdio<Writable, Readable, null>> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'ownerProcess.ts'), file],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  await new Promise<void>((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`owner ${String(child.pid)}\n`)) done();
    });
    child.once('exit', (code) => {
      fail(new Error(`the owner process exited early (${String(code)}): ${out}`));
    });
  });
  return child;
}

function ownerRow(): { pid: number; host: string; renewed: number } | undefined {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare('SELECT pid, host, renewed FROM owner').get() as
      { pid: number; host: string; renewed: number } | undefined;
  } finally {
    raw.close();
  }
}

function exited(child: ChildProcessByStdio<Writable, Readable, null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) =>
    child.once('exit', (code) => {
      done(code);
    }),
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-owner-'));
  file = join(dir, 'runs.db');
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exited(child);
  }
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one running app owns the file', () => {
  it('refuses a second app while another process runs on the file, naming the file and its pid', async () => {
    const owner = await startOwner();
    const log = openLog();
    const app = new App({ log });
    app.task({ name: 'etl' }, () => undefined);

    const refused = app.run({ handleSignals: false });
    await expect(refused).rejects.toThrow(SqliteRunLogInUseError);
    await expect(refused).rejects.toThrow(
      new RegExp(
        `SqliteRunLog: run log "${file}": it is owned by another running app \\(process ${String(owner.pid)} on host "${hostname()}"[\\s\\S]*` +
          `Stop that app \\(pid ${String(owner.pid)}\\)[\\s\\S]*many instances share one schedule through a shared store such as Redis \\(@apogee/redis\\)`,
      ),
    );
    await expect(refused).rejects.toMatchObject({ ownerPid: owner.pid, code: 'SQLITE_RUN_LOG' });
    // The owner's live run is untouched, and reading the file needs no ownership.
    expect((await log.records({ taskName: 'etl' })).map((r) => [r.action, r.runId])).toEqual([
      ['run', 'live'],
    ]);
  }, 30_000);

  it('refuses a second App of this process on the file while the first runs, and runs it once the first has stopped', async () => {
    /** Resolves at the first event of `type` from `app`. */
    const next = (app: App, type: 'taskSucceeded' | 'schedulerStarted'): Promise<void> =>
      new Promise((done) => {
        const subscription = app.events.subscribe((event) => {
          if (event.type !== type) return;
          subscription.unsubscribe();
          done();
        });
      });
    const first = new App({ log: openLog() });
    first.task({ name: 'etl', start: every('1 hour') }, () => 'first');
    // Its first run: by then it has restored, and owns the file.
    const ran = next(first, 'taskSucceeded');
    const running = first.run({ handleSignals: false });
    await ran;
    const second = new App({ log: openLog() });
    second.task({ name: 'etl', start: every('1 hour') }, () => 'second');
    const refused = second.run({ handleSignals: false });
    await expect(refused).rejects.toThrow(SqliteRunLogInUseError);
    await expect(refused).rejects.toMatchObject({ ownerPid: process.pid, inThisProcess: true });
    await first.shutdown();
    await running;
    expect(ownerRow()).toBeUndefined();
    const third = new App({ log: openLog() });
    third.task({ name: 'etl', start: every('1 hour') }, () => 'third');
    const started = next(third, 'schedulerStarted');
    const thirdRunning = third.run({ handleSignals: false });
    await started;
    expect(ownerRow()).toMatchObject({ pid: process.pid });
    await third.shutdown();
    await thirdRunning;
    expect(ownerRow()).toBeUndefined();
  }, 30_000);

  it('lets the next app take the file once the owner has shut down and released it', async () => {
    const owner = await startOwner();
    owner.stdin.end();
    expect(await exited(owner)).toBe(0);
    const log = openLog();
    log.restore();
    // The owner ended its run before it left: nothing to record as crashed.
    expect((await log.records({ taskName: 'etl' })).map((r) => r.action)).toEqual(['run', 'success']);
  }, 30_000);

  it('takes over from an owner killed with SIGKILL, recording its live run as crash', async () => {
    const owner = await startOwner();
    owner.kill('SIGKILL');
    await exited(owner);
    const log = openLog();
    log.restore();
    const records = await log.records({ taskName: 'etl' });
    expect(records.map((r) => [r.action, r.runId])).toEqual([
      ['run', 'live'],
      ['crash', 'live'],
    ]);
    expect(ownerRow()).toMatchObject({ pid: process.pid, host: hostname() });
  }, 30_000);
});

describe('the ownership lease', () => {
  useFakeClock(new Date('2026-05-04T08:00:00Z'));

  /** Writes the owner row another process would write (the file and its schema must exist). */
  function writeOwner(pid: number, host: string, renewedAgoMs: number): void {
    const db = new Database(file);
    const now = Date.now();
    db.prepare(
      'INSERT OR REPLACE INTO owner (id, token, pid, host, since, renewed) VALUES (1, ?, ?, ?, ?, ?)',
    ).run('another', pid, host, now - 3_600_000, now - renewedAgoMs);
    db.close();
  }

  it('respects an owner on another host while it renews, and takes over once it stops for a minute', () => {
    openLog();
    writeOwner(4242, 'elsewhere', 50_000);
    expect(() => openLog().restore()).toThrow(/process 4242 on host "elsewhere"/);
    writeOwner(4242, 'elsewhere', 61_000);
    expect(() => openLog().restore()).not.toThrow();
  });

  it('renews its ownership while it holds the file, so it is never taken for stale', async () => {
    const log = new SqliteRunLog(file, { ownerTimeout: '20 seconds' });
    logs.push(log);
    log.restore();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(Date.now() - (ownerRow()?.renewed ?? 0)).toBeLessThanOrEqual(5_000);
  });

  it('stops writing, with a warning, once another host took the file over from it', async () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const log = openLog();
      log.restore();
      writeOwner(4242, 'elsewhere', 0);
      await jest.advanceTimersByTimeAsync(15_000);
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringMatching(/process 4242 on host "elsewhere" took the file over/),
        {
          code: 'APOGEE_SQLITE_OWNER_LOST',
        },
      );
      expect(() => {
        log.append({ taskName: 't', action: 'run', created: new Date(), runId: 'r' });
      }).toThrow(SqliteRunLogInUseError);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('gives the file up on release() and close(), and takes it again on the next restore()', () => {
    const log = openLog();
    log.restore();
    expect(ownerRow()).toMatchObject({ pid: process.pid });
    log.release();
    expect(ownerRow()).toBeUndefined();
    log.restore();
    expect(ownerRow()).toMatchObject({ pid: process.pid });
    log.close();
    expect(ownerRow()).toBeUndefined();
  });

  it('refuses a second log of this process while the first holds the file, and lets it take over once released', async () => {
    const emitWarning = jest.spyOn(process, 'emitWarning');
    try {
      const first = openLog();
      first.restore();
      const second = openLog();
      expect(() => second.restore()).toThrow(SqliteRunLogInUseError);
      expect(() => second.restore()).toThrow(
        /owned by another running app in this process[\s\S]*app\.shutdown\(\)/,
      );
      await jest.advanceTimersByTimeAsync(60_000);
      // The first one still holds it, untroubled.
      expect(emitWarning).not.toHaveBeenCalled();
      expect(() => second.restore()).toThrow(SqliteRunLogInUseError);
      first.release();
      expect(() => second.restore()).not.toThrow();
      // Closing the first log leaves the second one's ownership alone.
      first.close();
      expect(ownerRow()).toMatchObject({ pid: process.pid });
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('takes over from a log of this process that no longer holds the file (closed without releasing)', () => {
    openLog();
    // What a log left behind looks like: the row of this process, no live holder behind it.
    writeOwner(process.pid, hostname(), 0);
    expect(() => openLog().restore()).not.toThrow();
  });
});
