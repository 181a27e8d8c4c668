import { Queue, type ConnectionOptions } from 'bullmq';
import { AddBatch, type AddedJobs, type JobToAdd } from './AddBatch';
import { waitFor } from './fixtures/waitFor';
import type { QueueJob, QueueResult } from './QueueJob';
import { queueNames } from './QueueNames';
import { redisOptions } from './redisOptions';
import { useRedisServer } from './fixtures/useRedisServer';

jest.setTimeout(120_000);

const server = useRedisServer();

let queueCount = 0;

/** A queue of its own, and what the batch told the ends it works for. */
async function setUp(): Promise<{
  queue: Queue<QueueJob, QueueResult>;
  added: AddedJobs & { listens: number; failures: { jobIds: readonly string[]; error: Error }[] };
}> {
  const name = `adds-${String(++queueCount)}`;
  const queue = new Queue<QueueJob, QueueResult>(name, {
    connection: redisOptions({ url: server.url, name }) as ConnectionOptions,
    prefix: queueNames(name).prefix,
  });
  await queue.waitUntilReady();
  const added = {
    listens: 0,
    failures: [] as { jobIds: readonly string[]; error: Error }[],
    listen(): Promise<void> {
      this.listens += 1;
      return Promise.resolve();
    },
    notAdded(jobIds: readonly string[], error: Error): void {
      this.failures.push({ jobIds, error });
    },
  };
  return { queue, added };
}

const job = (jobId: string): JobToAdd => ({
  name: 't',
  data: { taskName: 't', runId: jobId, args: [] } as unknown as QueueJob,
  opts: { jobId, removeOnComplete: false },
});

describe('AddBatch', () => {
  it('adds the jobs asked for in one turn as one batch, after the ends listen', async () => {
    const { queue, added } = await setUp();
    const batch = new AddBatch(queue, added);
    for (const id of ['a', 'b', 'c']) batch.add(job(id));
    await waitFor('the jobs in the queue', async () =>
      (await queue.getJobCountByTypes('wait')) === 3 ? true : undefined,
    );
    // One batch: the ends were asked to listen once, before its round trip.
    expect(added.listens).toBe(1);
    expect(added.failures).toEqual([]);
    expect((await queue.getJobs(['wait'])).map((j) => j.id).sort()).toEqual(['a', 'b', 'c']);
    await queue.close();
  });

  it('tells the ends which jobs a batch could not add, and why', async () => {
    const { queue, added } = await setUp();
    const batch = new AddBatch(queue, added);
    await queue.close();
    batch.add(job('x'));
    batch.add(job('y'));
    const [failure] = await waitFor('the failure', () =>
      added.failures.length > 0 ? added.failures : undefined,
    );
    expect(failure?.jobIds).toEqual(['x', 'y']);
    expect(failure?.error).toBeInstanceOf(Error);
    expect(added.failures).toHaveLength(1);
  });

  it('tells the ends of a batch whose events cannot be read, and adds nothing', async () => {
    const { queue, added } = await setUp();
    const refused = new Error('no events');
    const batch = new AddBatch(queue, {
      listen: () => Promise.reject(refused),
      notAdded: (jobIds, error) => {
        added.notAdded(jobIds, error);
      },
    });
    batch.add(job('z'));
    const [failure] = await waitFor('the failure', () =>
      added.failures.length > 0 ? added.failures : undefined,
    );
    expect(failure).toEqual({ jobIds: ['z'], error: refused });
    expect(await queue.getJobCountByTypes('wait')).toBe(0);
    await queue.close();
  });
});
