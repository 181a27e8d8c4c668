import { App, every, type SchedulerEvent } from '@apogee/core';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

// Real Redis and real time: a loaded machine (cold workers, busy CPUs) can take seconds; the
// tests wait for events, never for a speed.
jest.setTimeout(60_000);

let server: RedisServer;
let admin: Redis;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.stop();
});

/** One replica of the app `name`: its events, and how to stop it. */
function replica(name: string, setup: (app: App) => void = () => undefined) {
  const parts = redis({ url: server.url, name, leaseTtl: '600 ms' });
  const app = new App({ ...parts });
  const events: SchedulerEvent[] = [];
  app.events.subscribe((e) => events.push(e));
  setup(app);
  const done = app.run({ handleSignals: false });
  return {
    app,
    parts,
    events,
    stop: async () => {
      await app.shutdown();
      await done;
    },
  };
}

describe('the leader lease', () => {
  it('makes one of two replicas the leader, and hands over when it stops', async () => {
    const name = `lease${String(++n)}`;
    const a = replica(name);
    await waitFor('a to lead', () => a.app.isLeader);
    const b = replica(name);
    await new Promise((r) => setTimeout(r, 1_000));
    expect([a.app.isLeader, b.app.isLeader]).toEqual([true, false]);
    await a.stop();
    await waitFor('b to lead', () => b.app.isLeader);
    expect(a.events.map((e) => e.type)).toEqual([
      'schedulerStarted',
      'leadershipAcquired',
      'schedulerStopped',
      'leadershipLost',
    ]);
    expect(b.events.map((e) => e.type)).toEqual(['schedulerStarted', 'leadershipAcquired']);
    await b.stop();
  });

  it('stops leading by itself when it cannot renew in time, before the lease can end in Redis', async () => {
    const name = `lease${String(++n)}`;
    const a = replica(name);
    await waitFor('a to lead', () => a.app.isLeader);
    // Another holder replaces the key: renewals fail, and the term ends here.
    await admin.set(`mutex:apogee:{${name}}:lease`, 'someone else', 'PX', 60_000);
    await waitFor('a to lose', () => !a.app.isLeader);
    const lost = a.events.find((e) => e.type === 'leadershipLost');
    expect(lost).toMatchObject({ reason: 'another process holds the lease' });
    await admin.del(`mutex:apogee:{${name}}:lease`);
    await waitFor('a to lead again', () => a.app.isLeader);
    await a.stop();
  });
});

describe('the start fence and the relay', () => {
  it('runs a task once per due instant with two replicas, and a run asked on the follower once, on the leader, with its id', async () => {
    const name = `fence${String(++n)}`;
    const ran: string[] = [];
    const setup = (who: string) => (app: App) => {
      app.task({ name: 'tick', start: every('200 ms') }, () => ran.push(`tick@${who}`));
      app.task({ name: 'job' }, () => who);
    };
    const a = replica(name, setup('a'));
    await waitFor('a to lead', () => a.app.isLeader);
    const b = replica(name, setup('b'));
    await waitFor('b to start', () => b.events.length > 0);
    const id = b.app.session.get('job').run();
    await waitFor(
      'the job to succeed',
      async () => (await b.app.logs.records({ taskName: 'job', action: 'success' })).length === 1,
    );
    const job = await a.app.logs.records({ taskName: 'job' });
    expect(job.map((r) => [r.action, r.runId, r.returnValue])).toEqual([
      ['run', id, undefined],
      ['success', id, 'a'],
    ]);
    // The follower shows the shared state.
    await waitFor('b to see the job', () => b.app.session.get('job').status === 'success');
    expect(b.app.session.returns.get('job')).toBe('a');
    await new Promise((r) => setTimeout(r, 1_000));
    await b.stop();
    await a.stop();
    expect(ran.every((r) => r === 'tick@a')).toBe(true);
    const starts = await a.app.logs.records({ taskName: 'tick', action: 'run' });
    expect(new Set(starts.map((r) => r.runId)).size).toBe(starts.length);
    // Reading after shutdown reconnects; releasing closes that connection again.
    await a.app.logs.release?.();
  });

  it('refuses a start to a process whose token is no longer the lease, and that process steps down', async () => {
    const name = `fence${String(++n)}`;
    const { fence, leadership, log } = redis({ url: server.url, name, leaseTtl: '10 seconds' });
    const lost: string[] = [];
    leadership.onChange((isLeader, reason) => {
      if (!isLeader) lost.push(reason ?? '');
    });
    await leadership.start?.();
    // A new store holds campaigns off for a heartbeat TTL (see StoreEpoch): the second one leads.
    await waitFor('it to lead', () => leadership.isLeader, 30_000);
    expect(await fence.claim({ taskName: 't', runId: 'r1', kind: 'batch' })).toBe(true);
    expect(await fence.claim({ taskName: 't', runId: 'r1', kind: 'batch' })).toBe(false);
    expect(await fence.claim({ taskName: 't', runId: 'c1', kind: 'condition' })).toBe(true);
    await admin.set(`mutex:apogee:{${name}}:lease`, 'the new leader');
    expect(await fence.claim({ taskName: 't', runId: 'c2', kind: 'condition' })).toBe(false);
    expect(lost).toEqual(['another process holds the lease']);
    expect(fence.claim({ taskName: 't', runId: 'c3', kind: 'condition' })).toBe(false);
    await leadership.stop?.();
    await log.release?.();
  });

  it('refuses a condition start based on a history another leader has moved on from', async () => {
    const name = `fence${String(++n)}`;
    const a = redis({ url: server.url, name });
    await a.log.restore?.();
    await a.leadership.start?.();
    // Another leader started the task after this one restored its history.
    await admin.hset(`apogee:{${name}}:lastStart`, 't', 'elsewhere');
    expect(await a.fence.claim({ taskName: 't', runId: 'mine', kind: 'condition' })).toBe(false);
    expect(a.leadership.isLeader).toBe(false);
    await a.leadership.stop?.();
    await a.log.release?.();
  });
});
