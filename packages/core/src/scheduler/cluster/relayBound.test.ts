import { start, useFakeClock } from '@apogee/test-utils';
import { App, ManualLeadership, QueueFullError, type RelayedRequest, type RequestRelay } from '../../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

/**
 * A store in memory that bounds run requests as the Redis and PostgreSQL relays do: the leader's
 * published waiting counts plus the requests on their way must stay below `maxBatches`.
 */
class BoundedStore {
  readonly waiting = new Map<string, number>();
  readonly published: [string, number][][] = [];
  readonly taken: [string, number | undefined][] = [];
  readonly list: RelayedRequest[] = [];
  handler: ((request: RelayedRequest) => number | undefined) | undefined;
  snapshots: ReadonlyMap<string, number>[] = [];

  /** A replica's relay: it serves only while `leadership` leads (as the stores' relays do). */
  relay(leadership: ManualLeadership): RequestRelay {
    return {
      forward: (request) => {
        if (request.kind === 'run' && request.maxBatches !== undefined) {
          const counted = (this.waiting.get(request.taskName) ?? 0) + this.inTransit(request.taskName);
          if (counted >= request.maxBatches)
            return Promise.reject(new QueueFullError(request.taskName, counted, request.maxBatches));
        }
        this.list.push(request);
        return Promise.resolve();
      },
      serve: (handler, waiting) => {
        if (!leadership.isLeader) return () => undefined;
        this.handler = handler;
        if (waiting !== undefined) this.snapshots.push(waiting());
        return () => (this.handler = undefined);
      },
      publishWaiting: (changes) => {
        this.published.push([...changes]);
        for (const [task, n] of changes) this.waiting.set(task, n);
      },
    };
  }

  /** The leader takes every request on its way, as a relay's serve loop does. */
  deliver(): void {
    for (const request of this.list.splice(0)) {
      const count = this.handler?.(request);
      this.taken.push([request.taskName, count]);
      if (count !== undefined) this.waiting.set(request.taskName, count);
    }
  }

  private inTransit(task: string): number {
    return this.list.filter((r) => r.kind === 'run' && r.taskName === task).length;
  }
}

function warnings(): { warn: (message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (message) => lines.push(message) };
}

/** Holds the runs of `job` until released: while one is live, its batches wait. */
function gate(): { wait: () => Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    wait: () => opened,
    release: () => {
      release();
    },
  };
}

function replica(
  store: BoundedStore,
  isLeader: boolean,
  held: () => Promise<void>,
  warn?: (m: string) => void,
): App {
  const logger = { debug() {}, info() {}, error() {}, warn: warn ?? (() => undefined) };
  const leadership = new ManualLeadership(isLeader);
  const app = new App({ leadership, relay: store.relay(leadership), config: { logger } });
  app.task({ name: 'job', maxBatches: 3 }, held);
  app.task({ name: 'cron', start: 'every 1 minute' }, () => undefined);
  return app;
}

describe('run requests bounded by maxBatches through the relay', () => {
  it('a follower awaiting the store gets QueueFullError beyond the bound, and the leader queues exactly maxBatches', async () => {
    const store = new BoundedStore();
    const held = gate();
    const leader = replica(store, true, held.wait);
    const follower = replica(store, false, held.wait);
    const a = await start(leader);
    const b = await start(follower);
    // One run of the leader's own holds the queue.
    leader.session.get('job').run();
    await a.advance(0);
    expect(leader.session.get('job').isRunning).toBe(true);
    const job = follower.session.get('job');
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => job.runAwaited({ n })));
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    const refused = (outcomes[3] as PromiseRejectedResult).reason as QueueFullError;
    expect(refused).toBeInstanceOf(QueueFullError);
    expect(refused.message).toContain('Task "job" already has 3 runs waiting (its maxBatches is 3)');
    store.deliver();
    await a.advance(0);
    expect(store.taken).toEqual([
      ['job', 1],
      ['job', 2],
      ['job', 3],
    ]);
    expect(leader.session.get('job').batches).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    // Counted now by the leader's queue: still refused.
    await expect(job.runAwaited()).rejects.toBeInstanceOf(QueueFullError);
    held.release();
    await b.stop();
    await a.stop();
  });

  it('warns in the follower of a task.run() refused after it returned, naming the task, the run id and the bound', async () => {
    const store = new BoundedStore();
    const { warn, lines } = warnings();
    const follower = replica(store, false, () => Promise.resolve(), warn);
    const b = await start(follower);
    const job = follower.session.get('job');
    for (let i = 0; i < 3; i++) job.run();
    await b.advance(0);
    const runId = job.run();
    await b.advance(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`run ${runId} of task "job" was refused and not queued`);
    expect(lines[0]).toContain('its maxBatches is 3');
    await b.stop();
  });

  it('the leader publishes only changed counts, coalesced, and nothing for a task that never queues', async () => {
    const store = new BoundedStore();
    const held = gate();
    const leader = replica(store, true, held.wait);
    const a = await start(leader);
    await a.advance(5 * 60_000);
    expect((await leader.logs.records({ taskName: 'cron' })).length).toBeGreaterThan(0);
    expect(store.published).toEqual([]);
    expect(store.snapshots).toEqual([new Map()]);
    const job = leader.session.get('job');
    job.run();
    job.run();
    job.run();
    await a.advance(0);
    // Three queued in one stretch: one write; the first then started: the next.
    expect(store.published.slice(0, 2)).toEqual([[['job', 3]], [['job', 2]]]);
    held.release();
    await a.advance(0);
    expect(store.published.at(-1)).toEqual([['job', 0]]);
    expect(store.published.flat().every(([task]) => task === 'job')).toBe(true);
    await a.stop();
  });
});
