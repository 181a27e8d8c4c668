import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Instance } from './fixtures/Instance';
import { waitFor } from './fixtures/waitFor';

// Real processes on a possibly loaded machine: every wait is for an observed line, with room.
jest.setTimeout(240_000);

let server: RedisServer;
const instances: Instance[] = [];
let queueCount = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.stop()));
});
afterAll(async () => {
  await server.stop();
});

/** Starts instances of one app (a queue of its own per test): the first leads. */
async function cluster(
  specs: readonly { role: 'leader' | 'standby'; concurrency?: number }[],
  lockDurationMs = 30_000,
): Promise<Instance[]> {
  queueCount++;
  const name = `cluster-${String(queueCount)}`;
  const started = await Promise.all(
    specs.map((spec) =>
      Instance.start(server.url, name, spec.role, {
        lockDurationMs,
        ...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
      }),
    ),
  );
  instances.push(...started);
  return started;
}

const endsOf = (instance: Instance, runId: string): Record<string, unknown>[] =>
  instance
    .events()
    .filter(
      (e) =>
        e.runId === runId && ['taskSucceeded', 'taskFailed', 'taskTerminated'].includes(e.type as string),
    );

describe("execution 'queue' across instances", () => {
  it('spreads runs over the workers of three instances and records each result once, on the leader', async () => {
    const [leader, ...others] = await cluster([{ role: 'leader' }, { role: 'standby' }, { role: 'standby' }]);
    if (leader === undefined) throw new Error('no leader');
    const runIds: string[] = [];
    for (let i = 0; i < 6; i++) runIds.push(await leader.run('hold', { ms: 1500, tag: `job ${String(i)}` }));
    const results = await waitFor(
      'six results on the leader',
      () => {
        const ends = runIds.map((id) => endsOf(leader, id));
        return ends.every((e) => e.length > 0) ? ends : undefined;
      },
      120_000,
    );
    for (const ends of results) {
      expect(ends).toHaveLength(1);
      expect(ends[0]?.type).toBe('taskSucceeded');
    }
    const pids = new Set(results.map((ends) => (ends[0]?.returnValue as { pid: number }).pid));
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect([leader.pid, ...others.map((o) => o.pid)]).toContain(pid);
    // The standbys record nothing (each run has one end above, recorded on the leader); they
    // stream the runs the leader records, each end once, as their own events.
    for (const other of others)
      await waitFor(
        'each standby to stream the six ends',
        () => runIds.every((id) => endsOf(other, id).length === 1),
        60_000,
      );
  });

  it('runs a task on another instance with constructor injection, and @Return and afterSuccess work across instances', async () => {
    const [leader, worker] = await cluster([{ role: 'leader', concurrency: 0 }, { role: 'standby' }]);
    if (leader === undefined || worker === undefined) throw new Error('no instances');
    const runId = await leader.run('greet', { who: 'cluster' });
    const succeeded = await leader.next('greet to succeed', (l) => {
      const e = l.event as Record<string, unknown> | undefined;
      return e?.type === 'taskSucceeded' && e.runId === runId;
    });
    expect((succeeded.event as { returnValue: unknown }).returnValue).toMatchObject({
      text: 'hello cluster',
      pid: worker.pid,
    });
    const follow = await leader.next('follow to succeed', (l) => {
      const e = l.event as Record<string, unknown> | undefined;
      return e?.type === 'taskSucceeded' && e.taskName === 'follow';
    });
    expect((follow.event as { returnValue: unknown }).returnValue).toBe('hello cluster!');
    // An error keeps its name, message and code across processes.
    const broken = await leader.run('broken');
    const failed = await leader.next(
      'broken to fail',
      (l) =>
        (l.event as { runId?: string } | undefined)?.runId === broken &&
        (l.event as { type: string }).type === 'taskFailed',
    );
    expect((failed.event as { error: unknown }).error).toEqual({
      name: 'RangeError',
      message: 'the value is out of range',
      code: 'E_RANGE',
    });
  });

  it('aborts the signal on the executing instance on terminate() and on timeout', async () => {
    const [leader, worker] = await cluster([
      { role: 'leader', concurrency: 0 },
      { role: 'standby', concurrency: 2 },
    ]);
    if (leader === undefined || worker === undefined) throw new Error('no instances');
    const runId = await leader.run('cooperative');
    await worker.next(
      'cooperative to start on the worker',
      (l) => (l.report as { event?: string } | undefined)?.event === 'started',
    );
    leader.send({ cmd: 'terminate', task: 'cooperative' });
    await worker.next('the worker to see the abort', (l) => {
      const r = l.report as { task?: string; event?: string } | undefined;
      return r?.task === 'cooperative' && r.event === 'aborted';
    });
    await waitFor('terminate on the leader', () =>
      endsOf(leader, runId).find((e) => e.type === 'taskTerminated'),
    );
    const limited = await leader.run('limited');
    await worker.next('the worker to see the timeout', (l) => {
      const r = l.report as { task?: string; event?: string } | undefined;
      return r?.task === 'limited' && r.event === 'aborted';
    });
    await waitFor('terminate on the leader', () =>
      endsOf(leader, limited).find((e) => e.type === 'taskTerminated'),
    );
    expect(endsOf(leader, runId)).toHaveLength(1);
  });

  it('records crash for a run whose worker process was killed, and does not run it again', async () => {
    const [leader, a, b] = await cluster(
      [{ role: 'leader', concurrency: 0 }, { role: 'standby' }, { role: 'standby' }],
      1500,
    );
    if (leader === undefined || a === undefined || b === undefined) throw new Error('no instances');
    const runId = await leader.run('hold', { ms: 120_000, tag: 'doomed' });
    const started = await waitFor('the run to start on a worker', () =>
      [a, b].find((i) => i.reports().some((r) => r.tag === 'doomed')),
    );
    await started.kill();
    const crash = await waitFor('the run to be recorded as crashed', () => endsOf(leader, runId)[0], 120_000);
    expect(crash.type).toBe('taskFailed');
    expect((crash.error as { message: string }).message).toContain('stopped renewing its lock');
    const survivor = started === a ? b : a;
    expect(survivor.reports().filter((r) => r.tag === 'doomed')).toEqual([]);
  });

  it('keeps the runs executing when the leader is killed: the next leader adopts them and records each end once', async () => {
    const [leader, worker, next] = await cluster([
      { role: 'leader', concurrency: 0 },
      { role: 'standby', concurrency: 2 },
      { role: 'standby', concurrency: 0 },
    ]);
    if (leader === undefined || worker === undefined || next === undefined) throw new Error('no instances');
    const first = await leader.run('hold', { ms: 4000, tag: 'one' });
    const second = await leader.run('hold', { ms: 4000, tag: 'two' });
    await waitFor('both runs to start', () =>
      worker.reports().filter((r) => r.event === 'started').length === 2 ? true : undefined,
    );
    await leader.kill();
    next.send({ cmd: 'lead' });
    for (const runId of [first, second]) {
      const [end] = await waitFor(
        `the end of ${runId} on the new leader`,
        () => {
          const ends = endsOf(next, runId);
          return ends.length > 0 ? ends : undefined;
        },
        120_000,
      );
      expect(end?.type).toBe('taskSucceeded');
    }
    // No duplicate arrives later, and nothing was marked crashed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(endsOf(next, first)).toHaveLength(1);
    expect(endsOf(next, second)).toHaveLength(1);
  });
});
