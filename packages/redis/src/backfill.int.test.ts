import { App, ScheduledAt, cron } from '@apogee/core';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

const SECRET = 'a-backfill-secret-of-32-chars!!!';
const range = { from: '2026-01-01T00:00:00Z', to: '2026-01-06T00:00:00Z' };

describe('task.backfill() on many instances', () => {
  it('goes through the leader from a replica that does not lead, and no instance runs an instant twice', async () => {
    const build = (who: string) => {
      // A lease long enough that a loaded machine's pauses never move the leadership mid-test.
      // With a secret, so the relayed runs' scheduledAt is signed and checked on the leader too.
      const app = new App({
        ...redis({ url: server.url, name: 'backfill', leaseTtl: '10 seconds', secret: SECRET }),
      });
      app.task(
        { name: 'nightly', start: cron('0 3 1-5 1 *'), inject: [ScheduledAt()] },
        (at: Date) => `${who} for ${at.toISOString().slice(0, 10)}`,
      );
      let started = false;
      app.events.subscribe((e) => {
        if (e.type === 'schedulerStarted') started = true;
      });
      return { app, done: app.run({ handleSignals: false }), started: () => started };
    };
    const leader = build('leader');
    let follower: ReturnType<typeof build> | undefined;
    try {
      await waitFor('a leader', () => leader.app.isLeader);
      follower = build('follower');
      const { app: followerApp } = follower;
      await waitFor('the follower to start', follower.started);
      expect(followerApp.isLeader).toBe(false);

      const report = await followerApp.session.get('nightly').backfill({ ...range, concurrency: 2 });
      expect(report).toEqual({ instants: 5, started: 5, skipped: 0, failed: 0 });
      const successes = await leader.app.logs.records({ taskName: 'nightly', action: 'success' });
      expect(successes.map((r) => r.returnValue)).toEqual(
        ['01', '02', '03', '04', '05'].map((d) => `leader for 2026-01-${d}`),
      );
      expect(successes.map((r) => r.scheduledAt?.toISOString())).toEqual(
        ['01', '02', '03', '04', '05'].map((d) => `2026-01-${d}T03:00:00.000Z`),
      );

      // Each run record too, not only the successes: the skip of a second backfill reads them.
      const runs = await leader.app.logs.records({ taskName: 'nightly', action: 'run' });
      expect(runs.map((r) => r.scheduledAt?.toISOString()).sort()).toEqual(
        ['01', '02', '03', '04', '05'].map((d) => `2026-01-${d}T03:00:00.000Z`),
      );

      // From either instance, again: the shared log says every instant has its run.
      expect(await leader.app.session.get('nightly').backfill(range)).toEqual({
        instants: 5,
        started: 0,
        skipped: 5,
        failed: 0,
      });
      expect(await followerApp.session.get('nightly').backfill(range)).toMatchObject({
        started: 0,
        skipped: 5,
      });
      expect(await leader.app.logs.records({ taskName: 'nightly', action: 'run' })).toHaveLength(5);
    } finally {
      // Whatever failed above, nothing may outlive the test (jest would not exit).
      await follower?.app.shutdown();
      await follower?.done;
      await leader.app.shutdown();
      await leader.done;
      await leader.app.logs.release?.();
    }
  }, 60_000);
});
