import { App, Private, Return, type RunRecord } from '@apogee/core';
import { expectCursorPagingMatchesOffsets, startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { redis } from './redis';
import { RedisRunLog } from './RedisRunLog';

// Real Redis and real time: a loaded machine (cold workers, busy CPUs) can take seconds; the
// tests wait for events, never for a speed.
jest.setTimeout(60_000);

let server: RedisServer;
let admin: Redis;
const logs: RedisRunLog[] = [];
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  await Promise.all(logs.map((l) => l.release()));
  admin.disconnect();
  await server.stop();
});

/** A fresh app name per test, so tests share the server and nothing else. */
function sharedLog(options: { perTask?: number; maxAge?: '1 hour' } = {}): {
  log: RedisRunLog;
  name: string;
} {
  const name = `log${String(++n)}`;
  const { log } = redis({ url: server.url, name, retention: options });
  if (!(log instanceof RedisRunLog)) throw new Error('redis() returned another log');
  logs.push(log);
  return { log, name };
}

const record = (
  taskName: string,
  action: RunRecord['action'],
  at: number,
  extra: Partial<RunRecord> = {},
): RunRecord => ({
  taskName,
  action,
  created: new Date(at),
  runId: `${taskName}-${String(at)}`,
  ...extra,
});

describe('RedisRunLog', () => {
  it('answers filters and pages newest-first, oldest first within a page', async () => {
    const { log } = sharedLog();
    for (let i = 0; i < 6; i++)
      await log.append(record(i % 2 === 0 ? 'a' : 'b', i % 3 === 0 ? 'fail' : 'run', 1000 + i));
    const created = (rs: RunRecord[]) => rs.map((r) => r.created.getTime() - 1000);
    expect(created(await log.records())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(created(await log.records({ taskName: 'a' }))).toEqual([0, 2, 4]);
    expect(created(await log.records({ action: 'fail' }))).toEqual([0, 3]);
    expect(created(await log.records({ taskName: 'b', action: 'run' }))).toEqual([1, 5]);
    expect(created(await log.records({ limit: 2 }))).toEqual([4, 5]);
    expect(created(await log.records({ limit: 2, offset: 2 }))).toEqual([2, 3]);
    expect(created(await log.records({ limit: 0 }))).toEqual([]);
    await expect(log.records({ limit: -1 })).rejects.toThrow(/limit.*whole number/);
  });

  it('gives records back as stored: dates, errors with message and stack, return values', async () => {
    const { log } = sharedLog();
    const error = new Error('boom');
    await log.append(record('t', 'fail', 5, { start: new Date(1), end: new Date(5), runtime: 4, error }));
    await log.append(record('t', 'success', 9, { returnValue: { rows: [1, 2] } }));
    const [fail, success] = await log.records();
    expect(fail).toMatchObject({
      taskName: 't',
      action: 'fail',
      start: new Date(1),
      end: new Date(5),
      runtime: 4,
    });
    expect((fail?.error as Error).message).toBe('boom');
    expect((fail?.error as Error).stack).toBe(error.stack);
    expect(success?.returnValue).toEqual({ rows: [1, 2] });
  });

  it('gives back the instant a run was due for and its parameters, a Private value masked', async () => {
    const { log, name } = sharedLog();
    const scheduledAt = new Date(Date.UTC(2026, 4, 4, 9));
    const parameters = { region: 'eu', token: new Private('hunter2') };
    await log.append(record('t', 'run', 7, { scheduledAt, parameters }));
    const [run] = await log.records();
    expect(run?.scheduledAt).toEqual(scheduledAt);
    expect(run?.parameters).toEqual({ region: 'eu', token: '*****' });
    const stored = await Promise.all((await admin.keys(`apogee:{${name}}:rec:*`)).map((k) => admin.get(k)));
    expect(stored.join()).not.toContain('hunter2');
  });

  it('restores status, last times, failure streaks and the last return value; a Private value is never stored in clear', async () => {
    const { log, name } = sharedLog();
    const app = new App({ log });
    app.task({ name: 'secret' }, () => ({ password: new Private('hunter2') }));
    app.task({ name: 'flaky' }, () => {
      throw new Error('no');
    });
    app.task({ name: 'reader', inject: [Return('secret')] }, (v: unknown) => v);
    app.session.get('secret').run();
    app.session.get('flaky').run();
    app.session.get('flaky').run();
    const done = app.run({ handleSignals: false });
    for (;;) {
      if (
        (await log.records({ action: 'fail' })).length === 2 &&
        (await log.records({ action: 'success' })).length === 1
      )
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await app.shutdown();
    await done;
    const dump =
      JSON.stringify(await admin.hgetall(`apogee:{${name}}:state`)) +
      (await admin.keys(`apogee:{${name}}:*`)).join();
    const values = await Promise.all((await admin.keys(`apogee:{${name}}:rec:*`)).map((k) => admin.get(k)));
    expect(dump + values.join()).not.toContain('hunter2');
    const restored = await log.restore();
    const flaky = restored.find((t) => t.taskName === 'flaky');
    expect(flaky).toMatchObject({ status: 'fail', consecutiveFails: 2 });
    expect(flaky?.last.fail?.at).toBeInstanceOf(Date);
    expect(restored.find((t) => t.taskName === 'secret')?.returnValue).toEqual({
      value: { password: '*****' },
    });
  });

  it('marks runs left open by a process without a heartbeat as crash, once, and leaves a live process alone', async () => {
    const { log, name } = sharedLog();
    const prefix = `apogee:{${name}}:`;
    await admin.hset(
      `${prefix}open`,
      'dead-1',
      JSON.stringify({ taskName: 't', start: 100, process: 'gone', recorded: 0 }),
    );
    await admin.set(`${prefix}proc:alive`, '1', 'PX', 60_000);
    await admin.hset(
      `${prefix}open`,
      'live-1',
      JSON.stringify({ taskName: 'u', start: 100, process: 'alive', recorded: 1 }),
    );
    const [first, second] = await Promise.all([log.markCrashed(), log.markCrashed()]);
    expect((first ?? 0) + (second ?? 0)).toBe(1);
    const records = await log.records();
    expect(records.map((r) => [r.taskName, r.action, r.runId])).toEqual([
      ['t', 'run', 'dead-1'],
      ['t', 'crash', 'dead-1'],
    ]);
    expect(records[1]?.start).toEqual(new Date(100));
    expect(await admin.hkeys(`${prefix}open`)).toEqual(['live-1']);
  });

  it('pages back with before cursors to the same records as offsets, and forgets trimmed positions', async () => {
    const { log } = sharedLog();
    for (let i = 0; i < 30; i++) {
      const extra = { runId: `r${String(i)}` };
      await log.append(record(i % 3 === 0 ? 'b' : 'a', 'run', 1000 + 2 * i, extra));
      await log.append(
        record(i % 3 === 0 ? 'b' : 'a', i % 4 === 0 ? 'fail' : 'success', 1001 + 2 * i, extra),
      );
    }
    expect(await expectCursorPagingMatchesOffsets(log, {}, 7)).toBe(60);
    expect(await expectCursorPagingMatchesOffsets(log, { taskName: 'a' }, 4)).toBe(40);
    expect(await expectCursorPagingMatchesOffsets(log, { action: 'fail' }, 2)).toBe(8);
    expect(await expectCursorPagingMatchesOffsets(log, { taskName: 'b', action: 'run' }, 1)).toBe(10);
    const ids = async (query: Parameters<typeof log.records>[0]): Promise<string[]> =>
      (await log.records(query)).map((r) => `${r.runId}:${r.action}`);
    expect(await ids({ limit: 2, before: { runId: 'r2', action: 'run' } })).toEqual(['r1:run', 'r1:success']);
    expect(await ids({ offset: 3, before: { runId: 'r2', action: 'run' } })).toEqual(['r0:run']);
    expect(await ids({ before: { runId: 'gone', action: 'run' } })).toEqual([]);
    // Retention drops a record's position with it.
    const trimmed = sharedLog({ perTask: 2 });
    for (let i = 0; i < 4; i++) await trimmed.log.append(record('a', 'run', 1000 + i));
    expect(await admin.hkeys(`apogee:{${trimmed.name}}:pos`)).toEqual(['run:a-1002', 'run:a-1003']);
    expect(await trimmed.log.records({ before: { runId: 'a-1001', action: 'run' } })).toEqual([]);
  });

  it('keeps at most perTask records per task, and drops records older than maxAge', async () => {
    const { log } = sharedLog({ perTask: 3 });
    for (let i = 0; i < 5; i++) await log.append(record('a', 'run', 1000 + i));
    await log.append(record('b', 'run', 2000));
    expect((await log.records({ taskName: 'a' })).map((r) => r.created.getTime())).toEqual([
      1002, 1003, 1004,
    ]);
    expect(await log.records({ taskName: 'b' })).toHaveLength(1);
    const aged = sharedLog({ maxAge: '1 hour' }).log;
    await aged.append(record('a', 'run', Date.now() - 2 * 3_600_000));
    await aged.append(record('a', 'run', Date.now()));
    expect(await aged.records()).toHaveLength(1);
  });
});
