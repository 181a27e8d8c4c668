import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { StoreWarnings, type RunListener, type RunOutcome } from '@apogee/core/internal';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
// Not exported by the package (only its type is): the run a scheduler would have made.
import { RunHandle } from '../../core/src/execution/RunHandle';
import { waitFor } from './fixtures/waitFor';
import { JobEnds, type FollowedRun } from './JobEnds';
import { queueNames } from './QueueNames';
import { redisOptions } from './redisOptions';

jest.setTimeout(120_000);

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

let queueCount = 0;

/** JobEnds over a queue of its own, following runs that only record what they are told. */
async function setUp(): Promise<{
  ends: JobEnds;
  followed: Map<string, FollowedRun>;
  follow: (jobId: string) => RunOutcome[];
  client: Redis;
  prefix: string;
  done: () => Promise<void>;
}> {
  const name = `ends-${String(++queueCount)}`;
  const settings = {
    names: queueNames(name),
    redis: redisOptions({ url: server.url, name }),
    warnings: new StoreWarnings('test'),
  };
  const followed = new Map<string, FollowedRun>();
  const ends = new JobEnds(settings, followed);
  const client = new Redis(settings.redis);
  const queue = new Queue(name, {
    connection: settings.redis as ConnectionOptions,
    prefix: settings.names.prefix,
  });
  await queue.waitUntilReady();
  ends.use(queue, client);
  const follow = (jobId: string): RunOutcome[] => {
    const outcomes: RunOutcome[] = [];
    const listener: RunListener = {
      begun: () => undefined,
      ended: (_run, outcome) => outcomes.push(outcome),
    };
    followed.set(jobId, { run: new RunHandle('t', jobId, 0), listener });
    return outcomes;
  };
  return {
    ends,
    followed,
    follow,
    client,
    prefix: `${settings.names.prefix}:${name}`,
    done: async () => {
      await ends.close();
      await queue.close();
      await client.quit();
    },
  };
}

describe('JobEnds', () => {
  it('claims a batch of ends at once: one end claimed elsewhere is not recorded, the others are', async () => {
    const { ends, followed, follow, client, prefix, done } = await setUp();
    const outcomes = ['a', 'b', 'c'].map((jobId) => follow(jobId));
    // Another leader claimed b's end already.
    await client.set(`${prefix}:ended:b`, '1');
    for (const [i, jobId] of ['a', 'b', 'c'].entries())
      ends.completed(jobId, { type: 'success', returnValue: i });
    await waitFor('the ends of a and c', () =>
      outcomes[0]?.length === 1 && outcomes[2]?.length === 1 ? true : undefined,
    );
    expect(outcomes[0]).toEqual([{ action: 'success', returnValue: 0 }]);
    expect(outcomes[1]).toEqual([]);
    expect(outcomes[2]).toEqual([{ action: 'success', returnValue: 2 }]);
    expect(await client.exists(`${prefix}:ended:a`, `${prefix}:ended:c`)).toBe(2);
    expect(followed.size).toBe(0);
    // Heard again (the reconcile, a second event): nothing more is recorded.
    ends.completed('a', { type: 'success', returnValue: 9 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes[0]).toHaveLength(1);
    await done();
  });

  it('hears an end written right after listen() resolves: no event of a job added then is missed', async () => {
    const { ends, follow, client, prefix, done } = await setUp();
    await client.xadd(`${prefix}:events`, '*', 'event', 'waiting', 'jobId', 'old');
    const outcomes = follow('j');
    await ends.listen();
    // Written at once, before the reader's first read can have gone out.
    await client.xadd(
      `${prefix}:events`,
      '*',
      'event',
      'completed',
      'jobId',
      'j',
      'returnvalue',
      JSON.stringify({ type: 'success', returnValue: 'x' }),
    );
    await waitFor('the end of j', () => (outcomes.length === 1 ? true : undefined));
    expect(outcomes).toEqual([{ action: 'success', returnValue: 'x' }]);
    await done();
  });
});
