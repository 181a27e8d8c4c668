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

describe("execution 'queue' with redis(): a change of leader", () => {
  it('adopts the runs executing when the leader is killed: each recorded run then success once in the shared log, none crash', async () => {
    const name = 'failover';
    const first = await Instance.start(server.url, name, 'shared', { concurrency: 0 });
    instances.push(first);
    await first.next(
      'the first instance to lead',
      (l) => (l.event as { type?: string } | undefined)?.type === 'leadershipAcquired',
    );
    const [worker, next] = await Promise.all([
      Instance.start(server.url, name, 'shared', { concurrency: 2 }),
      Instance.start(server.url, name, 'shared', { concurrency: 0 }),
    ]);
    if (worker === undefined || next === undefined) throw new Error('no instances');
    instances.push(worker, next);
    const runIds = [
      await first.run('hold', { ms: 6000, tag: 'one' }),
      await first.run('hold', { ms: 6000, tag: 'two' }),
    ];
    await waitFor('both runs to start on the worker', () =>
      worker.reports().filter((r) => r.event === 'started').length === 2 ? true : undefined,
    );
    await first.kill();
    // The lease passes to one of the two others; the worker may take it too: it adopts the same way.
    const leader = await waitFor(
      'a new leader',
      () => [next, worker].find((i) => i.events().some((e) => e.type === 'leadershipAcquired')),
      60_000,
    );
    const byRun = await waitFor(
      'both runs to end in the shared log',
      async () => {
        const all = await records(leader, 'hold');
        const actions = runIds.map((id) => all.filter((r) => r.runId === id).map((r) => r.action));
        return actions.every((a) => a.includes('success') || a.includes('crash') || a.includes('fail'))
          ? actions
          : undefined;
      },
      120_000,
    );
    expect(byRun).toEqual([
      ['run', 'success'],
      ['run', 'success'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const later = await records(leader, 'hold');
    expect(later.map((r) => r.action)).toEqual(['run', 'run', 'success', 'success']);
  });
});
