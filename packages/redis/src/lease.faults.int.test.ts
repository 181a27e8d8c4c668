import { join } from 'node:path';
/**
 * Fault tests of the lease and of what the store tells operators, with real processes: replicas
 * of fixtures/replica.cjs (on the built packages) on a private Redis, some through a TCP proxy
 * that slows or holds their link. Every wait is for an observable line or record, with deadlines
 * far beyond what a loaded machine needs; no test asserts on speed.
 */
import type { RunRecord } from '@apogee/core';
import { Replicas, startRedisServer, TcpProxy, waitFor, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { redis } from './redis';

jest.setTimeout(180_000);

const TTL_MS = 4_000;
let server: RedisServer;
let n = 0;
const groups: Replicas[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(groups.splice(0).map((g) => g.stopAll()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await server.stop();
});

function replicas(): { group: Replicas; name: string } {
  const name = `lease${String(++n)}`;
  const group = new Replicas(join(__dirname, 'fixtures', 'replica.cjs'), {
    REDIS_URL: server.url,
    APP_NAME: name,
    LEASE_TTL: `${String(TTL_MS)} ms`,
  });
  groups.push(group);
  return { group, name };
}

async function proxy(): Promise<TcpProxy> {
  const made = await TcpProxy.start(server.port);
  proxies.push(made);
  return made;
}

/** Every record of `tick` in the shared log of `name`. */
async function ticks(name: string): Promise<RunRecord[]> {
  const { log } = redis({ url: server.url, name });
  try {
    return await log.records({ taskName: 'tick' });
  } finally {
    await log.release?.();
  }
}

async function successesBy(name: string, pid: number, after = 0): Promise<number> {
  return (await ticks(name)).filter(
    (r) => r.action === 'success' && r.returnValue === pid && r.created.getTime() > after,
  ).length;
}

describe('a slow leader (point 1 of issue 25)', () => {
  it('gives the lease back under its token, does not campaign while slow, and a healthy standby takes over', async () => {
    const link = await proxy();
    const { group, name } = replicas();
    const slow = group.start({ REDIS_URL: `redis://127.0.0.1:${String(link.port)}` });
    await waitFor('the proxied replica to lead', () => group.leaders()[0] === slow, 60_000);
    const healthy = group.start();
    await waitFor('the standby to start', () => group.lines.some((l) => l.pid === healthy), 60_000);
    // Each chunk 500 ms late both ways: a round trip of a second or more, a quarter of the
    // lease. Renewals still arrive in time, so the lease alone would keep it forever.
    link.delay(500);
    const slowedAt = Date.now();
    await waitFor('the healthy standby to lead', () => group.leaders().includes(healthy), 90_000);
    await waitFor(
      'ticks on the healthy one',
      async () => (await successesBy(name, healthy, slowedAt)) >= 3,
      90_000,
    );
    const slowLines = group.lines.filter((l) => l.pid === slow && l.at >= slowedAt);
    expect(slowLines.map((l) => l.type)).toEqual(['leadershipLost']);
    // Slow round trips, or (on a loaded machine) a renewal that came back too late: either way it gives the lease back.
    expect(slowLines[0]?.reason).toMatch(/round trip|could not be renewed within/);
    expect(group.leaders()).toEqual([healthy]);
    link.pass();
  });
});

/** A command connection to the test's Redis, to change its configuration under the replicas. */
async function admin<T>(work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(server.url, { lazyConnect: true });
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}

/** How many lines of `stderr` carry `text`. */
function count(stderr: string, text: string): number {
  return stderr.split('\n').filter((line) => line.includes(text)).length;
}

describe('what the store tells operators', () => {
  it('warns of every failed campaign, renewal and heartbeat with its reason, once per cause per minute (point 7)', async () => {
    const { group } = replicas();
    const leader = group.start();
    await waitFor('a leader', () => group.leaders()[0] === leader, 60_000);
    await admin((c) => c.config('SET', 'maxmemory-policy', 'noeviction'));
    await admin((c) => c.config('SET', 'maxmemory', '1'));
    try {
      await waitFor(
        'the lease to be lost, and warnings with the reason',
        () =>
          group.lines.some((l) => l.pid === leader && l.type === 'leadershipLost') &&
          /could not (campaign for|renew) the leader lease: OOM/.test(group.errors()) &&
          /could not renew this process's heartbeat: OOM/.test(group.errors()),
        90_000,
      );
      // Several campaigns and heartbeats failed by now; each cause printed once.
      await waitFor('more failed campaigns', () => count(group.errors(), 'could not campaign') === 1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 3 * TTL_MS));
      expect(count(group.errors(), 'could not campaign for the leader lease: OOM')).toBe(1);
      expect(count(group.errors(), "could not renew this process's heartbeat: OOM")).toBe(1);
    } finally {
      await admin((c) => c.config('SET', 'maxmemory', '0'));
    }
    await waitFor('it to lead again', () => group.leaders()[0] === leader, 60_000);
  });

  it("warns at start when this process's clock and Redis's differ by more than a second (point 6)", async () => {
    const { group } = replicas();
    const skewed = group.start({ CLOCK_SKEW_MS: '30000' });
    await waitFor('it to lead', () => group.leaders()[0] === skewed, 60_000);
    await waitFor(
      'the warning',
      () => group.errors().includes('APOGEE_CLOCK_SKEW') || group.errors().includes("ahead of the store's"),
      30_000,
    );
    expect(group.errors()).toMatch(/clock is (29|30)\d{3} ms ahead of the store's/);
    const straight = replicas().group;
    straight.start();
    await waitFor('a second app to lead', () => straight.leaders().length === 1, 60_000);
    expect(straight.errors()).not.toMatch(/ahead of|behind the store/);
  });

  it('warns at start when Redis keeps no persistence, neither AOF nor RDB (point 3)', async () => {
    await admin(async (c) => {
      await c.config('SET', 'appendonly', 'no');
      await c.config('SET', 'save', '');
    });
    try {
      const { group } = replicas();
      const pid = group.start();
      await waitFor('it to lead', () => group.leaders()[0] === pid, 60_000);
      await waitFor('the warning', () => group.errors().includes('keeps no persistence'), 30_000);
      const persisted = replicas().group;
      await admin((c) => c.config('SET', 'appendonly', 'yes'));
      persisted.start();
      await waitFor('a second app to lead', () => persisted.leaders().length === 1, 60_000);
      expect(persisted.errors()).not.toContain('keeps no persistence');
    } finally {
      await admin((c) => c.config('SET', 'appendonly', 'yes'));
    }
  });
});
