import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Instance, type Line } from './fixtures/Instance';
import { waitFor } from './fixtures/waitFor';

// Real processes, a real lease and a shared log on a possibly loaded machine: wait for what is seen.
jest.setTimeout(240_000);

let server: RedisServer;
const instances: Instance[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(instances.splice(0).map((i) => i.stop()));
  await server.stop();
});

/** The shared log's records of `task`, as one instance reads them. */
async function records(from: Instance, task: string): Promise<{ runId: string; action: string }[]> {
  const seen = from.lines.length;
  from.send({ cmd: 'records', task });
  const line: Line = await from.next('records', (l, i) => i >= seen && l.records !== undefined);
  return line.records as { runId: string; action: string }[];
}

it("terminate() on a replica that does not lead reaches a queue run on another instance's worker", async () => {
  const name = 'follower-terminate';
  const leader = await Instance.start(server.url, name, 'shared', { concurrency: 0 });
  instances.push(leader);
  await leader.next(
    'the first instance to lead',
    (l) => (l.event as { type?: string } | undefined)?.type === 'leadershipAcquired',
  );
  const [worker, follower] = await Promise.all([
    Instance.start(server.url, name, 'shared', { concurrency: 1 }),
    Instance.start(server.url, name, 'shared', { concurrency: 0 }),
  ]);
  instances.push(worker, follower);
  const runId = await leader.run('cooperative', { ms: 120_000 });
  await waitFor('the run to start on the worker', () =>
    worker.reports().some((r) => r.task === 'cooperative' && r.event === 'started'),
  );
  // Neither the leader nor the worker: the request travels to the leader, which aborts the run.
  follower.send({ cmd: 'terminate', task: 'cooperative' });
  await waitFor(
    'the run to be aborted on the worker',
    () => worker.reports().some((r) => r.task === 'cooperative' && r.event === 'aborted'),
    60_000,
  );
  await waitFor(
    'the terminate record',
    async () =>
      (await records(leader, 'cooperative')).some((r) => r.runId === runId && r.action === 'terminate'),
    60_000,
  );
  const runs = (await records(leader, 'cooperative')).filter((r) => r.runId === runId);
  expect(runs.map((r) => r.action)).toEqual(['run', 'terminate']);
  // The replica that asked sees the run end as an event of its own (it follows the shared log).
  await waitFor('the follower to stream the end', () =>
    follower.events().some((e) => e.runId === runId && e.type === 'taskTerminated'),
  );
  expect(leader.events().filter((e) => e.runId === runId && e.type === 'taskTerminated')).toHaveLength(1);
});
