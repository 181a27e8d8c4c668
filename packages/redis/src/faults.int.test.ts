import { join } from 'node:path';
/**
 * Fault tests with real processes: replicas of fixtures/replica.cjs (on the built packages) on a
 * private Redis, killed, paused and cut off from Redis. Timing is real, so every wait is for an
 * observable line or record, with deadlines far beyond what a loaded machine needs; no test
 * asserts on speed.
 */
import type { RunRecord } from '@apogee/core';
import {
  expectEveryRunEnded,
  expectOncePerSecond,
  Replicas,
  startRedisServer,
  type RedisServer,
} from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

jest.setTimeout(180_000);

const TTL = '2 seconds';
let server: RedisServer;
let n = 0;
const groups: Replicas[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(groups.splice(0).map((g) => g.stopAll()));
});
afterAll(async () => {
  await server.stop();
});

function replicas(env: Record<string, string> = {}): { group: Replicas; name: string } {
  const name = `faults${String(++n)}`;
  const group = new Replicas(join(__dirname, 'fixtures', 'replica.cjs'), {
    REDIS_URL: server.url,
    APP_NAME: name,
    LEASE_TTL: TTL,
    ...env,
  });
  groups.push(group);
  return { group, name };
}

/** Every record of `task` in the shared log of `name`. */
async function recordsOf(name: string, task: string): Promise<RunRecord[]> {
  const { log } = redis({ url: server.url, name });
  try {
    return await log.records({ taskName: task });
  } finally {
    await log.release?.();
  }
}

const ticks = (name: string): Promise<RunRecord[]> => recordsOf(name, 'tick');

/** What the replica `pid` printed of its `nightly` run: `started`, `aborted`. */
function nightlyLines(group: Replicas, pid: number, what: 'started' | 'aborted'): unknown[] {
  return group.lines.filter((l) => l.pid === pid && (l as { nightly?: string }).nightly === what);
}

async function successesBy(name: string, pid: number, after = 0): Promise<number> {
  return (await ticks(name)).filter(
    (r) => r.action === 'success' && r.returnValue === pid && r.created.getTime() > after,
  ).length;
}

describe('replicas on one Redis', () => {
  it('elect one leader of three started at once; a SIGKILLed leader is replaced; no due run starts twice, none is lost', async () => {
    const { group, name } = replicas();
    const pids = [group.start(), group.start(), group.start()];
    const first = await waitFor('a leader', () => group.leaders()[0], 60_000);
    await waitFor('three ticks', async () => (await successesBy(name, first)) >= 3, 60_000);
    expect(group.leaders()).toEqual([first]);
    expect(group.lines.filter((l) => l.type === 'leadershipAcquired')).toHaveLength(1);
    const killedAt = Date.now();
    group.signal(first, 'SIGKILL');
    const next = await waitFor('a new leader', () => group.leaders().find((p) => p !== first), 60_000);
    expect(pids).toContain(next);
    await waitFor(
      'three ticks on the new leader',
      async () => (await successesBy(name, next, killedAt)) >= 3,
      60_000,
    );
    await group.stopAll();
    const records = await ticks(name);
    expectOncePerSecond(records);
    expectEveryRunEnded(records);
  });

  it('a leader paused (SIGSTOP) past its lease starts nothing when it wakes, and steps down', async () => {
    const { group, name } = replicas();
    group.start();
    group.start();
    const paused = await waitFor('a leader', () => group.leaders()[0], 60_000);
    await waitFor('a tick', async () => (await successesBy(name, paused)) >= 2, 60_000);
    group.signal(paused, 'SIGSTOP');
    const stoppedAt = Date.now();
    const other = await waitFor('the other to lead', () => group.leaders().find((p) => p !== paused), 60_000);
    await waitFor('ticks on the other', async () => (await successesBy(name, other, stoppedAt)) >= 2, 60_000);
    group.signal(paused, 'SIGCONT');
    await waitFor('the paused one to step down', () =>
      group.lines.some((l) => l.pid === paused && l.type === 'leadershipLost'),
    );
    // Time for anything it might still start, then the verdict.
    const woke = Date.now();
    await waitFor('more ticks on the other', async () => (await successesBy(name, other, woke)) >= 2, 60_000);
    await group.stopAll();
    const records = await ticks(name);
    const startedAfterPause = records.filter(
      (r) => r.action === 'success' && r.returnValue === paused && (r.start?.getTime() ?? 0) >= stoppedAt,
    );
    expect(startedAfterPause).toEqual([]);
    expectOncePerSecond(records);
    expectEveryRunEnded(records);
  });

  it('recover when Redis restarts under them, and start nothing twice', async () => {
    const { group, name } = replicas();
    group.start();
    group.start();
    const leader = await waitFor('a leader', () => group.leaders()[0], 60_000);
    await waitFor('ticks', async () => (await successesBy(name, leader)) >= 2, 60_000);
    await server.restart();
    const restartedAt = Date.now();
    await waitFor(
      'ticks after the restart',
      async () =>
        (await ticks(name)).filter((r) => r.action === 'success' && r.created.getTime() > restartedAt)
          .length >= 3,
      90_000,
    );
    await group.stopAll();
    const records = await ticks(name);
    expectOncePerSecond(records);
    expectEveryRunEnded(records);
  });

  it('a daily run live on a SIGKILLed leader is recorded run then crash, once, and not run again by the new leader', async () => {
    const { group, name } = replicas({ NIGHTLY_MS: '600000' });
    group.start();
    group.start();
    const first = await waitFor('a leader', () => group.leaders()[0], 60_000);
    await waitFor('nightly to start', () => nightlyLines(group, first, 'started').length > 0, 60_000);
    const killedAt = Date.now();
    group.signal(first, 'SIGKILL');
    const next = await waitFor('a new leader', () => group.leaders().find((p) => p !== first), 60_000);
    await waitFor(
      'the crash recorded and three ticks on the new leader',
      async () =>
        (await recordsOf(name, 'nightly')).some((r) => r.action === 'crash') &&
        (await successesBy(name, next, killedAt)) >= 3,
      90_000,
    );
    await group.stopAll();
    expect((await recordsOf(name, 'nightly')).map((r) => r.action)).toEqual(['run', 'crash']);
    expect(nightlyLines(group, next, 'started')).toEqual([]);
  });

  it('a leader paused (SIGSTOP) 7 s mid-run stops its run when it wakes: one end recorded (crash), never two live runs', async () => {
    const { group, name } = replicas({ NIGHTLY_MS: '600000' });
    group.start();
    group.start();
    const paused = await waitFor('a leader', () => group.leaders()[0], 60_000);
    await waitFor('nightly to start', () => nightlyLines(group, paused, 'started').length > 0, 60_000);
    group.signal(paused, 'SIGSTOP');
    const stoppedAt = Date.now();
    const other = await waitFor('the other to lead', () => group.leaders().find((p) => p !== paused), 60_000);
    await waitFor(
      'the crash recorded by the other',
      async () => (await recordsOf(name, 'nightly')).some((r) => r.action === 'crash'),
      60_000,
    );
    // 7 s paused in all, well past the 2 s lease.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + 7_000 - Date.now())));
    group.signal(paused, 'SIGCONT');
    await waitFor(
      'the woken leader to stop its run',
      () => nightlyLines(group, paused, 'aborted').length > 0,
      60_000,
    );
    const woke = Date.now();
    await waitFor(
      'ticks on the other after the wake',
      async () => (await successesBy(name, other, woke)) >= 2,
      60_000,
    );
    await group.stopAll();
    const nightly = await recordsOf(name, 'nightly');
    expect(nightly.map((r) => r.action)).toEqual(['run', 'crash']);
    expect(nightlyLines(group, other, 'started')).toEqual([]);
    expectEveryRunEnded(await ticks(name));
  });
});
