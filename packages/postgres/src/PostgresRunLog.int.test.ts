/**
 * The shared log, lease and fence on a real PostgreSQL (a private server per file). Real time is
 * used only for leases, with waits on observable state and generous deadlines.
 */
import type { Duration, RunRecord } from '@apogee/core';
import {
  expectCursorPagingMatchesOffsets,
  startPostgres,
  waitFor,
  type PostgresServer,
} from '@apogee/test-utils';
import pg from 'pg';
import { postgres, type PostgresAppParts } from './postgres';
import { PostgresSchemaError } from './PostgresSchemaError';

jest.setTimeout(120_000);

let server: PostgresServer;
const opened: PostgresAppParts[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const parts of opened.splice(0)) {
    await (parts.leadership as PostgresAppParts['leadership'] | undefined)?.stop?.();
    await parts.log.release?.();
  }
});
afterAll(async () => {
  await server.stop();
});

let n = 0;
function open(
  name = `app${String(++n)}`,
  extra: { leaseTtl?: Duration; schema?: string } = {},
): PostgresAppParts {
  const parts = postgres({ url: server.url, name, ...extra });
  opened.push(parts);
  return parts;
}

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
function run(taskName: string, runId: string, s: number): RunRecord {
  return { taskName, runId, action: 'run', created: at(s), start: at(s) };
}
function end(taskName: string, runId: string, s: number, action: RunRecord['action'] = 'success'): RunRecord {
  return {
    taskName,
    runId,
    action,
    created: at(s),
    start: at(s - 1),
    end: at(s),
    runtime: 1000,
    returnValue: s,
  };
}

describe('the Postgres run log', () => {
  it('stores records and pages them newest first by task and action; restores state and return values', async () => {
    const { log } = open();
    for (let i = 0; i < 5; i++) {
      await log.append(run('a', `a${String(i)}`, i * 2));
      await log.append(end('a', `a${String(i)}`, i * 2 + 1, i === 4 ? 'fail' : 'success'));
    }
    await log.append(run('b', 'b0', 20));
    expect((await log.records()).map((r) => r.runId)).toHaveLength(11);
    const page = await log.records({ taskName: 'a', action: 'success', limit: 2, offset: 1 });
    expect(page.map((r) => r.runId)).toEqual(['a1', 'a2']);
    expect((await log.records({ action: 'run', limit: 1 })).map((r) => r.runId)).toEqual(['b0']);
    const restored = await open(undefined).log.restore?.();
    expect(restored).toEqual([]);
    const state = (await log.restore?.())?.find((t) => t.taskName === 'a');
    expect(state?.status).toBe('fail');
    expect(state?.consecutiveFails).toBe(1);
    expect(state?.returnValue).toEqual({ value: 7 });
    expect(state?.last.success?.at).toEqual(at(7));
  });

  it('pages back with before cursors to the same records as offsets, within its own app', async () => {
    const { log } = open();
    const other = open().log;
    for (let i = 0; i < 20; i++) {
      const task = i % 3 === 0 ? 'b' : 'a';
      await log.append(run(task, `r${String(i)}`, i * 2));
      await log.append(end(task, `r${String(i)}`, i * 2 + 1, i % 4 === 0 ? 'fail' : 'success'));
      // The same run ids in another app, written later: the cursor must be found in this app.
      await other.append(run(task, `r${String(i)}`, i * 2));
    }
    expect(await expectCursorPagingMatchesOffsets(log, {}, 3)).toBe(40);
    expect(await expectCursorPagingMatchesOffsets(log, { taskName: 'a' }, 4)).toBe(26);
    expect(await expectCursorPagingMatchesOffsets(log, { action: 'fail' }, 2)).toBe(5);
    expect(await expectCursorPagingMatchesOffsets(log, { taskName: 'b', action: 'run' }, 1)).toBe(7);
    const before = (query: Parameters<typeof log.records>[0]): Promise<string[]> =>
      log.records(query).then((rs) => rs.map((r) => `${r.runId}:${r.action}`));
    expect(await before({ limit: 2, before: { runId: 'r2', action: 'run' } })).toEqual([
      'r1:run',
      'r1:success',
    ]);
    expect(await before({ offset: 3, before: { runId: 'r2', action: 'run' } })).toEqual(['r0:run']);
    expect(await before({ before: { runId: 'gone', action: 'run' } })).toEqual([]);
  });

  it('refuses a second end for one run, and an end for a run that was never opened', async () => {
    const { log } = open();
    await log.append(run('t', 'r1', 1));
    await log.append(end('t', 'r1', 2));
    await expect(log.append(end('t', 'r1', 3, 'fail'))).rejects.toThrow(/not open/);
    await expect(log.append(end('t', 'never', 3))).rejects.toThrow(/not open/);
    await expect(log.append(run('t', 'r1', 4))).rejects.toThrow(/already recorded/);
    expect((await log.records()).map((r) => r.action)).toEqual(['run', 'success']);
  });

  it('keeps at most perTask records of each task, and drops records older than maxAge, in bounded steps', async () => {
    const perTask = postgres({ url: server.url, name: `keep${String(++n)}`, retention: { perTask: 3 } });
    opened.push(perTask);
    for (let i = 0; i < 4; i++) {
      await perTask.log.append(run('a', `a${String(i)}`, i * 2));
      await perTask.log.append(end('a', `a${String(i)}`, i * 2 + 1));
    }
    await perTask.log.append(run('b', 'b0', 20));
    expect((await perTask.log.records()).map((r) => `${r.runId}:${r.action}`)).toEqual([
      'a2:success',
      'a3:run',
      'a3:success',
      'b0:run',
    ]);
    // The task's state survives its records: the last success is still known.
    expect((await perTask.log.restore?.())?.find((t) => t.taskName === 'a')?.last.success?.at).toEqual(at(7));
    const byAge = postgres({ url: server.url, name: `age${String(++n)}`, retention: { maxAge: '1 hour' } });
    opened.push(byAge);
    await byAge.log.append(run('a', 'old', 1)); // 2026-01-01: far older than an hour
    const recent: RunRecord = { taskName: 'a', runId: 'new', action: 'run', created: new Date() };
    await byAge.log.append(recent);
    expect((await byAge.log.records()).map((r) => r.runId)).toEqual(['new']);
  });

  it('keeps two apps of one database apart', async () => {
    const one = open();
    const two = open();
    await one.log.append(run('t', 'x', 1));
    expect(await two.log.records()).toEqual([]);
    expect(await two.log.restore?.()).toEqual([]);
  });

  it('marks runs of a process without a heartbeat as crash, once, and leaves a live process alone', async () => {
    const name = `crash${String(++n)}`;
    const dead = open(name);
    await dead.log.append(run('t', 'gone', 1));
    await dead.log.release?.(); // never started a heartbeat: counts as dead
    const live = open(name);
    await live.leadership.start?.();
    await live.log.append(run('t', 'mine', 2));
    const restored = await live.log.restore?.();
    expect(restored?.find((t) => t.taskName === 't')?.status).toBe('crash');
    await open(name).log.restore?.();
    const records = await live.log.records();
    expect(records.map((r) => [r.runId, r.action])).toEqual([
      ['gone', 'run'],
      ['mine', 'run'],
      ['gone', 'crash'],
    ]);
    await expect(dead.log.append(end('t', 'gone', 5))).rejects.toThrow(/not open/);
  });

  it('skips a malformed stored record with a warning naming it, and still answers', async () => {
    const { log } = open('malformed');
    await log.append(run('t', 'ok', 1));
    await log.append(end('t', 'ok', 2));
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO apogee.records (app, task, action, run_id, created, process, record)
         VALUES ('malformed', 't', 'run', 'bad', 1, 'x', '{"taskName": "t", "created": "not-a-date"}')`,
      );
      await client.query(`UPDATE apogee.task_state SET state = '{"last": 5}' WHERE app = 'malformed'`);
    } finally {
      await client.end();
    }
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    let warnings = '';
    try {
      expect((await log.records()).map((r) => r.runId)).toEqual(['ok', 'ok']);
      expect(await log.restore?.()).toEqual([]);
      warnings = warn.mock.calls.map((call) => String(call[0])).join('\n');
    } finally {
      warn.mockRestore();
    }
    expect(warnings).toMatch(/apogee"\.records \(app "malformed", seq \d+\)/);
    expect(warnings).toMatch(/task_state \(app "malformed", task "t"\)/);
    // The damaged state row does not block the task: the next records rewrite it (this log has no
    // heartbeat, so its restore records the open run as crashed, through the same function).
    await log.append(run('t', 'next', 3));
    expect((await log.restore?.())?.map((t) => [t.taskName, t.status, t.last.run?.at])).toEqual([
      ['t', 'crash', at(3)],
    ]);
  });

  it('restores a return value from its success record, never from a forged state; with a secret, a forged record is refused', async () => {
    const name = `returns${String(++n)}`;
    const { log } = postgres({ url: server.url, name, secret: 'a-secret-of-some-length' });
    opened.push({ log } as PostgresAppParts);
    await log.append(run('t', 'r1', 1));
    await log.append(end('t', 'r1', 2));
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await client.query(
        `UPDATE apogee.task_state SET state = jsonb_set(state, '{returnValue}', '"\\"forged\\""') WHERE app = $1`,
        [name],
      );
      expect((await log.restore?.())?.[0]?.returnValue).toEqual({ value: 2 });
      await client.query(
        `UPDATE apogee.records SET record = jsonb_set(record, '{returnValue}', '"\\"forged\\""') WHERE app = $1 AND action = 'success'`,
        [name],
      );
      expect((await log.restore?.())?.[0]?.returnValue).toBeUndefined();
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
        /refused the return value of task "t" at "apogee"\.records .*no valid signature/,
      );
    } finally {
      warn.mockRestore();
      await client.end();
    }
  });

  it('refuses a schema newer than the code, naming the schema and both versions', async () => {
    const { log } = open(undefined, { schema: 'future' });
    await log.records();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('UPDATE future.meta SET version = 99');
    await client.end();
    const error = await open(undefined, { schema: 'future' })
      .log.records()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).cause ?? error)).toMatch(/"future" is at version 99.*up to 3/);
    expect((error as Error).cause).toBeInstanceOf(PostgresSchemaError);
  });
});

describe('the Postgres lease and fence', () => {
  it('elects one leader; a standby takes over after the leader stops renewing; the stale token claims nothing', async () => {
    const name = `lease${String(++n)}`;
    const a = open(name, { leaseTtl: '2 seconds' });
    const b = open(name, { leaseTtl: '2 seconds' });
    await a.leadership.start?.();
    await b.leadership.start?.();
    expect([a.leadership.isLeader, b.leadership.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = a.leadership.isLeader ? [a, b] : [b, a];
    expect(await leader.fence.claim({ taskName: 't', runId: 'r1', kind: 'batch' })).toBe(true);
    expect(await leader.fence.claim({ taskName: 't', runId: 'r1', kind: 'batch' })).toBe(false);
    expect(await leader.fence.claim({ taskName: 't', runId: 'c1', kind: 'condition' })).toBe(true);
    // The leader stops renewing, as a paused process would (the campaign timer cleared, nothing
    // sent): its row expires on the database's clock.
    const { token } = leader.leadership as unknown as { token: string };
    const internals = leader.leadership as unknown as {
      state: { campaign?: NodeJS.Timeout; stopped: boolean };
    };
    clearInterval(internals.state.campaign);
    internals.state.stopped = true;
    const since = Date.now();
    await waitFor('the standby to lead', () => standby.leadership.isLeader, 30_000);
    expect(Date.now() - since).toBeLessThan(30_000);
    // The old term's token is refused by the claim itself, whatever the old process believes.
    const pool = new pg.Pool({ connectionString: server.url });
    try {
      const rows = await pool.query<{ r: number }>(
        'SELECT apogee.claim($1, $2, $3, $4, $5, $6, $7, $8) AS r',
        [name, token, 'batch', 't', 'r2', '', 'old', Date.now()],
      );
      expect(rows.rows[0]?.r).toBe(-1);
    } finally {
      await pool.end();
    }
  });
});
