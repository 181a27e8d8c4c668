/**
 * Fault tests of the lease and of what the store tells operators, with real processes: replicas
 * of fixtures/replica.cjs (on the built packages) on a private PostgreSQL, some through a TCP
 * proxy that slows their link. Every wait is for an observable line or record, with deadlines far
 * beyond what a loaded machine needs; no test asserts on speed.
 */
import type { RunRecord } from '@apogee/core';
import { join } from 'node:path';
import { Replicas, startPostgres, TcpProxy, waitFor, type PostgresServer } from '@apogee/test-utils';
import { postgres } from './postgres';

jest.setTimeout(240_000);

const TTL_MS = 4_000;
let server: PostgresServer;
let n = 0;
const groups: Replicas[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  server = await startPostgres();
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
    DATABASE_URL: server.url,
    APP_NAME: name,
    LEASE_TTL: `${String(TTL_MS)} ms`,
  });
  groups.push(group);
  return { group, name };
}

async function proxiedUrl(): Promise<{ link: TcpProxy; url: string }> {
  const link = await TcpProxy.start(server.port);
  proxies.push(link);
  return { link, url: server.url.replace(`:${String(server.port)}/`, `:${String(link.port)}/`) };
}

/** Every record of `tick` in the shared log of `name`. */
async function ticks(name: string): Promise<RunRecord[]> {
  const { log } = postgres({ url: server.url, name });
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
    const { link, url } = await proxiedUrl();
    const { group, name } = replicas();
    const slow = group.start({ DATABASE_URL: url });
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

describe('what the store tells operators', () => {
  it("warns at start when this process's clock and the database's differ by more than a second (point 6)", async () => {
    const { group } = replicas();
    const skewed = group.start({ CLOCK_SKEW_MS: '-30000' });
    await waitFor('it to lead', () => group.leaders()[0] === skewed, 60_000);
    await waitFor('the warning', () => group.errors().includes("behind the store's"), 30_000);
    expect(group.errors()).toMatch(/clock is (29|30)\d{3} ms behind the store's/);
  });

  it('warns of failed campaigns with their reason, once per cause per minute (point 7)', async () => {
    const { link, url } = await proxiedUrl();
    const { group } = replicas();
    const pid = group.start({ DATABASE_URL: url });
    await waitFor('it to lead', () => group.leaders()[0] === pid, 60_000);
    // Every connection cut, again and again: each query fails at once with the driver's reason.
    const cutting = setInterval(() => {
      link.cut();
    }, 50);
    try {
      await waitFor(
        'the lease lost and a warning with the reason',
        () =>
          group.lines.some((l) => l.pid === pid && l.type === 'leadershipLost') &&
          /could not (campaign for|renew) the leader lease: /.test(group.errors()),
        90_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 3 * TTL_MS));
      const lines = group
        .errors()
        .split('\n')
        .filter((l) => /could not (campaign for|renew) the leader lease/.test(l))
        .map((l) => l.replace(/^.*?Apogee:/, ''));
      // Campaigns failed every renewal interval meanwhile: one line per operation and reason.
      expect(lines.length).toBeGreaterThan(0);
      expect(new Set(lines).size).toBe(lines.length);
    } finally {
      clearInterval(cutting);
    }
  });
});
