import type { RunRecord } from '@apogee/core';
import { startRedisServer, waitFor, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { redis } from './redis';
import { RedisRunLog } from './RedisRunLog';

// Real Redis and real time: the tests wait for keys and lines, never for a speed.
jest.setTimeout(60_000);

let server: RedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedisServer({ persistence: false });
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

const record = (taskName: string, action: RunRecord['action'], at: number): RunRecord => ({
  taskName,
  action,
  created: new Date(at),
  runId: `${taskName}-${String(at)}`,
});

describe('StoreEpoch: a Redis emptied under a running replica', () => {
  it('writes back what the replica holds, never over a newer state, and logs an error naming the key', async () => {
    const name = 'epoch1';
    const parts = redis({ url: server.url, name, leaseTtl: '600 ms' });
    const log = parts.log;
    if (!(log instanceof RedisRunLog)) throw new Error('redis() returned another log');
    const errors: string[] = [];
    log.useLogger({
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message) => errors.push(message),
    });
    try {
      await parts.leadership.start?.();
      await waitFor('the epoch', async () => (await admin.get(`apogee:{${name}}:epoch`)) ?? undefined);
      for (const task of ['a', 'b']) {
        await log.append(record(task, 'run', 1_000));
        await log.append({ ...record(task, 'success', 2_000), runId: `${task}-1000` });
      }
      await log.setDisabled('b', true);
      await log.restore();
      const seqBefore = Number(await admin.get(`apogee:{${name}}:seq`));

      // Another replica stored a newer state of `a` before this one noticed: it must stay. One
      // transaction, so that no heartbeat finds the store empty in between.
      const newer = JSON.stringify({
        status: 'run',
        last: { run: { at: 9_000, sequence: 1 } },
        consecutiveFails: 0,
      });
      await admin.multi().flushall().hset(`apogee:{${name}}:state`, 'a', newer).exec();

      await waitFor('the error', () => errors.length > 0);
      // Gone at a heartbeat, or replaced by the fresh epoch this replica's own campaign wrote
      // into the empty store first (its lease vanished too): either way the same write-back.
      expect(errors[0]).toContain(`apogee:{${name}}:epoch was `);
      expect(errors[0]).toMatch(/epoch was (gone|replaced) at (a heartbeat|a campaign)/);
      expect(errors[0]).toMatch(/1 task states \(of 2 held; the rest was already there, or newer\)/);
      expect(errors[0]).toContain('1 pause states');
      expect(await admin.hget(`apogee:{${name}}:state`, 'a')).toBe(newer);
      const b = JSON.parse((await admin.hget(`apogee:{${name}}:state`, 'b')) ?? '{}') as {
        status?: string;
        last?: Record<string, { at: number }>;
      };
      expect(b.status).toBe('success');
      expect(b.last?.success?.at).toBe(2_000);
      expect(await admin.hget(`apogee:{${name}}:paused`, 'b')).toBe('1');
      // New records are numbered past every sequence a written-back state points at.
      expect(Number(await admin.get(`apogee:{${name}}:seq`))).toBeGreaterThanOrEqual(seqBefore);
      const restored = await log.restore();
      expect(restored.find((t) => t.taskName === 'b')?.last.success?.at.getTime()).toBe(2_000);
      expect(restored.find((t) => t.taskName === 'a')?.last.run?.at.getTime()).toBe(9_000);
      expect(await admin.get(`apogee:{${name}}:epoch`)).not.toBeNull();
    } finally {
      await parts.leadership.stop?.();
      await log.release();
    }
  });

  it('holds the first campaign on an empty store off for a heartbeat TTL, then leads', async () => {
    const parts = redis({ url: server.url, name: 'epoch2', leaseTtl: '3 seconds' });
    try {
      await parts.leadership.start?.();
      expect(parts.leadership.isLeader).toBe(false);
      expect(await admin.pttl('apogee:{epoch2}:settle')).toBeGreaterThan(0);
      await waitFor('it to lead', () => parts.leadership.isLeader, 30_000);
    } finally {
      await parts.leadership.stop?.();
      await parts.log.release?.();
    }
  });
});
