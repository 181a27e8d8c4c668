import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { StoreWarnings, type RunListener, type RunOutcome } from '@apogee/core/internal';
// Not exported by the package (only its type is): the run a scheduler would have made.
import { RunHandle } from '../../core/src/execution/RunHandle';
import { waitFor } from './fixtures/waitFor';
import { FinishedJobs } from './FinishedJobs';
import { JobEnds, type FollowedRun } from './JobEnds';
import { queueNames } from './QueueNames';
import { redisOptions } from './redisOptions';
import { useRedisServer } from './fixtures/useRedisServer';

jest.setTimeout(120_000);

const server = useRedisServer();

let queueCount = 0;

/** JobEnds over a queue of its own, following runs that only record what they are told. */
async function setUp(): Promise<{
  ends: JobEnds;
  followed: Map<string, FollowedRun>;
  follow: (jobId: string, into?: Map<string, FollowedRun>) => RunOutcome[];
  client: Redis;
  queue: Queue;
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
  const follow = (jobId: string, into = followed): RunOutcome[] => {
    const outcomes: RunOutcome[] = [];
    const listener: RunListener = {
      begun: () => undefined,
      ended: (_run, outcome) => outcomes.push(outcome),
    };
    into.set(jobId, { run: new RunHandle('t', jobId, 0), listener });
    return outcomes;
  };
  return {
    ends,
    followed,
    follow,
    client,
    queue,
    prefix: `${settings.names.prefix}:${name}`,
    done: async () => {
      await ends.close();
      await queue.close();
      await client.quit();
    },
  };
}

/** Runs jobs `ids` to their end with a BullMQ worker: the `failing` ones fail, the others complete. */
async function finish(queue: Queue, ids: readonly string[], failing: readonly string[] = []): Promise<void> {
  const worker = new Worker(
    queue.name,
    (job) => {
      if (failing.includes(job.id ?? '')) throw new Error('broke');
      return Promise.resolve({ type: 'success', returnValue: job.id });
    },
    {
      connection: redisOptions({ url: server.url, name: queue.name }) as ConnectionOptions,
      prefix: 'apogee',
    },
  );
  await queue.addBulk(ids.map((jobId) => ({ name: 't', data: {}, opts: { jobId } })));
  await waitFor('the jobs to finish', async () => {
    const counts = await queue.getJobCounts('completed', 'failed');
    return (counts.completed ?? 0) + (counts.failed ?? 0) === ids.length ? true : undefined;
  });
  await worker.close();
}

describe('JobEnds', () => {
  it('claims a batch of ends by taking their jobs: one taken elsewhere is not recorded, and nothing is left behind', async () => {
    const { ends, followed, follow, client, queue, prefix, done } = await setUp();
    await finish(queue, ['a', 'b', 'c'], ['c']);
    const outcomes = ['a', 'b', 'c'].map((jobId) => follow(jobId));
    // Another leader took b's job, so claimed its end, already.
    expect(await new FinishedJobs(client, queue).take(['b'])).toEqual([true]);
    ends.completed('a', { type: 'success', returnValue: 0 });
    ends.completed('b', { type: 'success', returnValue: 1 });
    ends.failed('c', 'broke');
    await waitFor('the ends of a and c', () =>
      outcomes[0]?.length === 1 && outcomes[2]?.length === 1 ? true : undefined,
    );
    expect(outcomes[0]).toEqual([{ action: 'success', returnValue: 0 }]);
    expect(outcomes[1]).toEqual([]);
    expect(outcomes[2]?.map((o) => o.action)).toEqual(['fail']);
    expect(followed.size).toBe(0);
    // The jobs are gone, with no claim key and no `removed` event in their place.
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    expect(await client.exists(`${prefix}:a`, `${prefix}:b`, `${prefix}:c`)).toBe(0);
    expect(await client.keys(`${prefix}:ended:*`)).toEqual([]);
    const events = await client.xrange(`${prefix}:events`, '-', '+');
    expect(events.filter(([, fields]) => fields[1] === 'removed')).toEqual([]);
    // Heard again (the reconcile, a second event): nothing more is recorded.
    ends.completed('a', { type: 'success', returnValue: 9 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes[0]).toHaveLength(1);
    await done();
  });

  it('records each end once when two leaders hear the same ends at the same moment', async () => {
    const { ends, follow, queue, done } = await setUp();
    const ids = Array.from({ length: 40 }, (_, i) => `j${String(i)}`);
    await finish(queue, ids);
    // The old leader (woken after a pause) and the new one both follow every run.
    const other = new Map<string, FollowedRun>();
    const otherEnds = new JobEnds(
      {
        names: queueNames(queue.name),
        redis: redisOptions({ url: server.url, name: queue.name }),
        warnings: new StoreWarnings('test'),
      },
      other,
    );
    const otherClient = new Redis(redisOptions({ url: server.url, name: queue.name }));
    otherEnds.use(queue, otherClient);
    const mine = ids.map((id) => follow(id));
    const theirs = ids.map((id) => follow(id, other));
    for (const id of ids) {
      ends.completed(id, { type: 'success', returnValue: id });
      otherEnds.completed(id, { type: 'success', returnValue: id });
    }
    await waitFor('every end to be recorded', () =>
      ids.every((_, i) => (mine[i]?.length ?? 0) + (theirs[i]?.length ?? 0) > 0) ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ids.map((_, i) => (mine[i]?.length ?? 0) + (theirs[i]?.length ?? 0))).toEqual(ids.map(() => 1));
    await otherEnds.close();
    await otherClient.quit();
    await done();
  });

  it('claims the ends heard while a claim is in flight as one batch once it answers', async () => {
    const { ends, follow, queue, done } = await setUp();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await finish(queue, ids);
    const outcomes = ids.map((id) => follow(id));
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its instance below
    const original = FinishedJobs.prototype.take;
    const take = jest.spyOn(FinishedJobs.prototype, 'take');
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    take.mockImplementationOnce(async function (this: FinishedJobs, jobIds) {
      await gate;
      return original.call(this, jobIds);
    });
    try {
      ends.completed('a', { type: 'success', returnValue: 'a' });
      // Each heard in a turn of its own, while a's claim waits.
      for (const id of ids.slice(1)) {
        await new Promise((resolve) => setImmediate(resolve));
        ends.completed(id, { type: 'success', returnValue: id });
      }
      release();
      await waitFor('every end', () => (outcomes.every((o) => o.length === 1) ? true : undefined));
      expect(take.mock.calls.map(([jobIds]) => jobIds)).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    } finally {
      take.mockRestore();
    }
    await done();
  });

  it('hears an end written right after listen() resolves: no event of a job added then is missed', async () => {
    const { ends, follow, client, prefix, done } = await setUp();
    await client.xadd(`${prefix}:events`, '*', 'event', 'waiting', 'jobId', 'old');
    const outcomes = follow('j');
    await ends.listen();
    // Written at once, before the reader's first read can have gone out (the job first, as BullMQ
    // does in the script that finishes it: its end is claimed by taking it out of this set).
    await client.zadd(`${prefix}:completed`, Date.now(), 'j');
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
  it('fails the runs of jobs never added, once each, with no claim', async () => {
    const { ends, followed, follow, done } = await setUp();
    const outcomes = ['p', 'q'].map((jobId) => follow(jobId));
    const error = new Error('Connection is closed.');
    ends.notAdded(['p', 'q', 'not-followed'], error);
    expect(outcomes).toEqual([[{ action: 'fail', error }], [{ action: 'fail', error }]]);
    expect(followed.size).toBe(0);
    // Its end heard anyway (a job of the same id added by someone else): nothing more is recorded.
    ends.completed('p', { type: 'success', returnValue: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes[0]).toHaveLength(1);
    await done();
  });
});
