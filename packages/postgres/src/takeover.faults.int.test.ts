/**
 * Takeovers with real processes on a private PostgreSQL (issue 25, points 6 and 8): replicas of
 * fixtures/replica.cjs (on the built packages), the leader SIGKILLed, the new one's clock set off
 * the machine's through the fixture's injected clock (CLOCK_SKEW_MS). Every wait is for a record;
 * no test asserts on speed.
 */
import type { RunRecord } from '@apogee/core';
import { join } from 'node:path';
import {
  dueSeconds,
  lastDueOf,
  expectEveryRunEnded,
  useReplicas,
  skewByWriter,
  startPostgres,
  waitFor,
  type PostgresServer,
} from '@apogee/test-utils';
import { postgres } from './postgres';

jest.setTimeout(240_000);

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

const replicas = useReplicas(join(__dirname, 'fixtures', 'replica.cjs'), 'takeover', () => ({
  DATABASE_URL: server.url,
  LEASE_TTL: '2 seconds',
}));

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

describe('a takeover on PostgreSQL', () => {
  it.each([
    ['the same clock', 0],
    ['a clock 30 s behind', -30_000],
  ])(
    'a new leader with %s starts every second due in the failover gap, each once (points 6 and 8)',
    async (_, skew) => {
      const { group, name } = replicas();
      const first = group.start();
      await waitFor('a leader', () => group.leaders()[0], 60_000);
      const standby = group.start({ CLOCK_SKEW_MS: String(skew) });
      const started = await waitFor(
        'the standby to start',
        () => group.lines.find((l) => l.pid === standby && l.type === 'started'),
        60_000,
      );
      await waitFor(
        'three ticks',
        async () => (await successesBy(name, first, started.at + 1_000)) >= 3,
        60_000,
      );
      const killedAt = Date.now();
      group.signal(first, 'SIGKILL');
      await waitFor('the standby to lead', () => group.leaders().includes(standby) || undefined, 60_000);
      await waitFor(
        'three ticks on the new leader',
        async () => (await successesBy(name, standby, killedAt + skew)) >= 3,
        60_000,
      );
      await group.stopAll();
      const records = await ticks(name);
      const skews = new Map([
        [first, 0],
        [standby, skew],
      ]);
      expect(dueSeconds(records, skewByWriter(records, skews), lastDueOf(records, first))).toEqual({
        missing: [],
        twice: [],
      });
      expectEveryRunEnded(records);
    },
  );
});
