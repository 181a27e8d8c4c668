import { App, QueueFullError } from '@apogee/core';
import { serveControl } from '@apogee/http';
import {
  expectFollowersBoundRuns,
  startRedisServer,
  warningLogger,
  type RedisServer,
} from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describe('maxBatches on replicas that do not lead (Redis)', () => {
  it('two followers taking POST /tasks/:name/run at once accept exactly maxBatches and answer 429 beyond, as the leader does', async () => {
    // A lease long enough that a loaded machine's pauses never move the leadership mid-test.
    await expectFollowersBoundRuns({
      parts: () => redis({ url: server.url, name: 'bound', leaseTtl: '10 seconds' }),
      serve: (app) => serveControl(app, { port: 0 }),
    });
  }, 120_000);

  it("bounds a follower's POST /run by the control API's maxQueuedBatches when it is below the task's maxBatches", async () => {
    await expectFollowersBoundRuns({
      parts: () => redis({ url: server.url, name: 'control', leaseTtl: '10 seconds' }),
      serve: (app) => serveControl(app, { port: 0, maxQueuedBatches: 8 }),
      maxQueuedBatches: 8,
    });
  }, 120_000);

  it('reads a stored count that is not a whole number as 0, with a warning naming its key, and bounds by the rest', async () => {
    const parts = redis({ url: server.url, name: 'hostile' });
    const { logger, warnings } = warningLogger();
    parts.log.useLogger?.(logger);
    const client = new Redis(server.url);
    try {
      await client.hset('apogee:{hostile}:waiting', 'job', 'lots');
      const run = (runId: string) =>
        parts.relay.forward({ kind: 'run', taskName: 'job', params: {}, runId, maxBatches: 2 });
      await run('a');
      await run('b');
      await expect(run('c')).rejects.toBeInstanceOf(QueueFullError);
      expect(warnings.some((w) => w.includes('apogee:{hostile}:waiting (task "job")'))).toBe(true);
      expect(await client.llen('apogee:{hostile}:requests')).toBe(2);
      expect(await client.hget('apogee:{hostile}:transit', 'job')).toBe('2');
    } finally {
      client.disconnect();
      await parts.log.release?.();
    }
  }, 60_000);

  it('a new leader rewrites the counts: waiting from its own queue, transit from the list (junk not counted)', async () => {
    const key = (what: string) => `apogee:{takeover}:${what}`;
    const entry = (runId: string) => JSON.stringify({ kind: 'run', taskName: 'job', params: {}, runId });
    const client = new Redis(server.url);
    // What a leader that died left: stale counts, and requests on their way.
    await client.hset(key('transit'), 'job', '7', 'gone', '3');
    await client.hset(key('waiting'), 'gone', '5');
    await client.rpush(key('requests'), entry('r1'), 'junk', entry('r2'));
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = new App({ ...redis({ url: server.url, name: 'takeover', leaseTtl: '10 seconds' }) });
    app.task({ name: 'job', maxBatches: 10 }, () => held);
    const done = app.run({ handleSignals: false });
    try {
      // r1 runs (and holds), r2 waits.
      await waitFor('both requests taken', () => app.session.get('job').batches.length === 1, 60_000);
      await waitFor('the counts rewritten', async () => {
        const [waiting, transit] = [
          await client.hgetall(key('waiting')),
          await client.hgetall(key('transit')),
        ];
        return JSON.stringify([waiting, transit]) === JSON.stringify([{ job: '1' }, {}]);
      });
    } finally {
      release();
      await app.shutdown();
      await done;
      await app.logs.release?.();
      client.disconnect();
    }
  }, 90_000);
});
