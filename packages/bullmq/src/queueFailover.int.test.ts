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

/** A leader without a worker, then a worker and a standby: the failover tests' cluster. */
async function threeInstances(
  name: string,
  firstHears: 'hears' | 'deaf' = 'hears',
): Promise<{ first: Instance; worker: Instance; next: Instance }> {
  const first = await Instance.start(server.url, name, 'shared', {
    concurrency: 0,
    deafToStarts: firstHears === 'deaf',
  });
  instances.push(first);
  await first.next(
    'the first instance to lead',
    (l) => (l.event as { type?: string } | undefined)?.type === 'leadershipAcquired',
  );
  const [worker, next] = await Promise.all([
    Instance.start(server.url, name, 'shared', { concurrency: 2 }),
    Instance.start(server.url, name, 'shared', { concurrency: 0 }),
  ]);
  instances.push(worker, next);
  return { first, worker, next };
}

describe("execution 'queue' with redis(): a change of leader", () => {
  it('adopts the runs executing when the leader is killed: each recorded run then success once in the shared log, none crash', async () => {
    const name = 'failover';
    const { first, worker, next } = await threeInstances(name);
    const runIds = [
      await first.run('hold', { ms: 6000, tag: 'one' }),
      await first.run('hold', { ms: 6000, tag: 'two' }),
    ];
    await waitFor('both runs to start on the worker', () =>
      worker.reports().filter((r) => r.event === 'started').length === 2 ? true : undefined,
    );
    await first.kill();
    // The lease passes to one of the two others; the worker may take it too: it adopts the same way.
    const leader = await newLeader(next, worker);
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
    // Their starts were on record: the new leader wrote none again.
    expect(refusals(leader)).toEqual([]);
  });
});

/** The first of `candidates` seen to gain the leadership. */
function newLeader(...candidates: Instance[]): Promise<Instance> {
  return waitFor(
    'a new leader',
    () => candidates.find((i) => i.events().some((e) => e.type === 'leadershipAcquired')),
    60_000,
  );
}

/** The warnings `from` printed of records its shared log refused (a second start or end of one run). */
const refusals = (from: Instance): unknown[] =>
  from.lines.filter((l) => typeof l.warning === 'string' && l.warning.includes('refused a'));

describe("execution 'queue' with redis(): a leader killed before it recorded the starts", () => {
  it("has the new leader record each adopted run's start (when its job began) before its end", async () => {
    const name = 'unrecorded';
    // The first leader never hears that its jobs became active: it dies with their starts unrecorded.
    const { first, worker, next } = await threeInstances(name, 'deaf');
    const runIds = [
      await first.run('hold', { ms: 4000, tag: 'one' }),
      await first.run('hold', { ms: 4000, tag: 'two' }),
    ];
    await waitFor('both runs to start on the worker', () =>
      worker.reports().filter((r) => r.event === 'started').length === 2 ? true : undefined,
    );
    expect(await records(first, 'hold')).toEqual([]);
    await first.kill();
    const leader = await newLeader(next, worker);
    const all = await waitFor(
      'both runs to end in the shared log',
      async () => {
        const read = await records(leader, 'hold');
        return read.filter((r) => r.action !== 'run').length === 2 ? read : undefined;
      },
      120_000,
    );
    expect(runIds.map((id) => all.filter((r) => r.runId === id).map((r) => r.action))).toEqual([
      ['run', 'success'],
      ['run', 'success'],
    ]);
    expect(refusals(leader)).toEqual([]);
  });
});

describe("execution 'queue' with redis(): a leader paused (SIGSTOP) past its lease", () => {
  it('records the end of a queue run it dispatched once: the leader that wakes does not record it again', async () => {
    const name = 'paused';
    const { first, worker, next } = await threeInstances(name);
    const runId = await first.run('hold', { ms: 6000, tag: 'paused' });
    await waitFor('the run to start on the worker', () =>
      worker.reports().some((r) => r.event === 'started') ? true : undefined,
    );
    first.signal('SIGSTOP');
    const leader = await newLeader(next, worker);
    await waitFor(
      'the run to end in the shared log',
      async () => ((await records(leader, 'hold')).some((r) => r.action === 'success') ? true : undefined),
      120_000,
    );
    first.signal('SIGCONT');
    // The woken leader reads the job's completion it missed, and steps down.
    await first.next(
      'the woken leader to step down',
      (l) => (l.event as { type?: string } | undefined)?.type === 'leadershipLost',
    );
    // Then one more queue run through the new leader: by its end, the woken one has read past the first.
    const after = await leader.run('hold', { ms: 10, tag: 'after' });
    await waitFor(
      'the later run to end',
      async () =>
        (await records(leader, 'hold')).some((r) => r.runId === after && r.action === 'success')
          ? true
          : undefined,
      120_000,
    );
    const all = await records(leader, 'hold');
    expect(all.filter((r) => r.runId === runId).map((r) => r.action)).toEqual(['run', 'success']);
    // The woken one did not record the end: at most it streamed the new leader's record of it,
    // once it followed (one event, not its own second one).
    expect(
      first.events().filter((e) => e.runId === runId && e.type === 'taskSucceeded').length,
    ).toBeLessThanOrEqual(1);
  });
});

describe("execution 'queue' with redis(): requests from a replica that does not lead", () => {
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
});
