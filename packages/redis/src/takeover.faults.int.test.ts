import { join } from 'node:path';
/**
 * Takeovers with real processes on a private Redis (issue 25, points 6 and 8): replicas of
 * fixtures/replica.cjs (on the built packages), the leader SIGKILLed, the new one's clock set off
 * the machine's through the fixture's injected clock (CLOCK_SKEW_MS). Every wait is for a record;
 * no test asserts on speed.
 */
import type { RunRecord } from '@apogee/core';
import {
  dueSeconds,
  lastDueOf,
  skewByWriter,
  expectEveryRunEnded,
  Replicas,
  useReplicas,
  startRedisServer,
  type RedisServer,
} from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

jest.setTimeout(240_000);

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

const replicas = useReplicas(join(__dirname, 'fixtures', 'replica.cjs'), 'takeover', () => ({
  REDIS_URL: server.url,
  LEASE_TTL: '2 seconds',
}));

async function recordsOf(name: string, task: string): Promise<RunRecord[]> {
  const { log } = redis({ url: server.url, name });
  try {
    return await log.records({ taskName: task });
  } finally {
    await log.release?.();
  }
}

/** Runs of `task` that `pid` ended with success (its return value is its pid), stored after `after`. */
async function successesBy(name: string, task: string, pid: number, after = 0): Promise<number> {
  return (await recordsOf(name, task)).filter(
    (r) => r.action === 'success' && r.returnValue === pid && r.created.getTime() > after,
  ).length;
}

/** Waits until the replica `standby` has started and seen `leader` store three ticks since. */
async function standingBy(group: Replicas, name: string, standby: number, leader: number): Promise<void> {
  const started = await waitFor(
    'the standby to start',
    () => group.lines.find((l) => l.pid === standby && l.type === 'started'),
    60_000,
  );
  await waitFor(
    'three ticks',
    async () => (await successesBy(name, 'tick', leader, started.at + 1_000)) >= 3,
    60_000,
  );
}

describe('a takeover on Redis', () => {
  it('starts every second due in the failover gap, each once with its @ScheduledAt(), under catchup none (point 8)', async () => {
    const { group, name } = replicas();
    const first = group.start();
    await waitFor('a leader', () => group.leaders()[0], 60_000);
    const standby = group.start();
    await standingBy(group, name, standby, first);
    const killedAt = Date.now();
    group.signal(first, 'SIGKILL');
    const next = await waitFor('a new leader', () => group.leaders().find((p) => p !== first), 60_000);
    await waitFor(
      'three ticks on the new leader',
      async () => (await successesBy(name, 'tick', next, killedAt)) >= 3,
      60_000,
    );
    await group.stopAll();
    const records = await recordsOf(name, 'tick');
    // The gap's seconds (started in a later second than the one they were due in), for the README's figure.
    const late = records.filter(
      (r) =>
        r.action === 'run' &&
        r.scheduledAt !== undefined &&
        Math.floor(r.created.getTime() / 1000) > Math.floor(r.scheduledAt.getTime() / 1000),
    );
    if (process.env.APOGEE_MEASURE !== undefined)
      console.log(
        late.map(
          (r) =>
            `${r.scheduledAt?.toISOString() ?? ''} late by ${String(r.created.getTime() - (r.scheduledAt?.getTime() ?? 0))} ms`,
        ),
      );
    expect(dueSeconds(records, undefined, lastDueOf(records, first))).toEqual({ missing: [], twice: [] });
    expectEveryRunEnded(records);
  });

  it.each([
    ['30 s behind', -30_000],
    ['30 s ahead', 30_000],
  ])(
    'a new leader whose clock is %s misses no due second and doubles none, and keeps every() in rhythm (point 6)',
    async (_, skew) => {
      const { group, name } = replicas({ EVERY_MS: '8000' });
      const first = group.start();
      await waitFor('a leader', () => group.leaders()[0], 60_000);
      const skewed = group.start({ CLOCK_SKEW_MS: String(skew) });
      await waitFor('three ticks', async () => (await successesBy(name, 'tick', first)) >= 3, 60_000);
      // Killed right after a pulse: the next one is due 8 s later, long after the takeover.
      const pulses = await successesBy(name, 'pulse', first);
      await waitFor('a pulse', async () => (await successesBy(name, 'pulse', first)) > pulses, 60_000);
      const killedAt = Date.now();
      group.signal(first, 'SIGKILL');
      await waitFor(
        'the skewed replica to lead',
        () => group.leaders().includes(skewed) || undefined,
        60_000,
      );
      await waitFor(
        'a pulse on the new leader',
        async () => (await successesBy(name, 'pulse', skewed)) >= 1,
        60_000,
      );
      await waitFor(
        'three ticks on the new leader',
        async () => (await successesBy(name, 'tick', skewed, killedAt + skew)) >= 3,
        60_000,
      );
      await group.stopAll();
      const skews = new Map([
        [first, 0],
        [skewed, skew],
      ]);
      const ticks = await recordsOf(name, 'tick');
      expect(dueSeconds(ticks, skewByWriter(ticks, skews), lastDueOf(ticks, first))).toEqual({
        missing: [],
        twice: [],
      });
      expectEveryRunEnded(ticks);
      const pulse = await recordsOf(name, 'pulse');
      const skewOf = skewByWriter(pulse, skews);
      const starts = pulse
        .filter((r) => r.action === 'run')
        .map((r) => r.created.getTime() - skewOf(r.runId));
      const intervals = starts.slice(1).map((t, i) => t - (starts[i] as number));
      // every('8 seconds') counts from the last start, whoever made it, on the machine's time.
      expect(intervals.filter((ms) => ms < 7_000)).toEqual([]);
    },
  );
});
