import type { WorkerExit } from '../../errors/WorkerCrashError';
import type { RemoteWorker } from './RemoteWorker';
import { WorkerPool } from './WorkerPool';

/** A stand-in worker: the pool only spawns, reuses, kills and watches it exit. */
function fakeWorker(id: number): RemoteWorker & { id: number; die(): void } {
  let exit: (info: WorkerExit) => void = () => undefined;
  const worker = {
    id,
    alive: true,
    exited: new Promise<WorkerExit>((resolve) => {
      exit = resolve;
    }),
    kill() {
      worker.die();
    },
    die() {
      worker.alive = false;
      exit({ code: 1, signal: null });
    },
    setRef() {},
  };
  return worker as unknown as RemoteWorker & { id: number; die(): void };
}

function pool(limit: number): { pool: WorkerPool; spawned: ReturnType<typeof fakeWorker>[] } {
  const spawned: ReturnType<typeof fakeWorker>[] = [];
  return {
    spawned,
    pool: new WorkerPool(limit, () => {
      const w = fakeWorker(spawned.length);
      spawned.push(w);
      return w;
    }),
  };
}

const open = (): AbortSignal => new AbortController().signal;

describe('WorkerPool', () => {
  it('spawns up to its limit, then reuses released workers', async () => {
    const { pool: p, spawned } = pool(2);
    const a = await p.acquire(0, open());
    const b = await p.acquire(0, open());
    expect(spawned).toHaveLength(2);
    const waiting = p.acquire(0, open());
    expect(p.queued).toBe(1);
    p.release(a as RemoteWorker);
    expect(await waiting).toBe(a);
    p.release(b as RemoteWorker);
    expect(await p.acquire(0, open())).toBe(b);
    expect(spawned).toHaveLength(2);
  });

  it('serves waiters by priority, then arrival', async () => {
    const { pool: p } = pool(1);
    const only = (await p.acquire(0, open())) as RemoteWorker;
    const order: string[] = [];
    const wait = (name: string, priority: number): Promise<void> =>
      p.acquire(priority, open()).then((w) => {
        order.push(name);
        p.release(w as RemoteWorker);
      });
    const all = Promise.all([wait('low', 1), wait('high', 5), wait('mid-1', 3), wait('mid-2', 3)]);
    p.release(only);
    await all;
    expect(order).toEqual(['high', 'mid-1', 'mid-2', 'low']);
  });

  it('drops a waiter whose run is terminated, and replaces a worker that died', async () => {
    const { pool: p, spawned } = pool(1);
    const first = (await p.acquire(0, open())) as RemoteWorker;
    const cancel = new AbortController();
    const cancelled = p.acquire(0, cancel.signal);
    const next = p.acquire(0, open());
    cancel.abort();
    expect(await cancelled).toBeUndefined();
    spawned[0]?.die();
    expect(await next).toBe(spawned[1]);
    expect(first.alive).toBe(false);
  });

  it('closes: waits end, workers are killed', async () => {
    const { pool: p, spawned } = pool(1);
    await p.acquire(0, open());
    const waiting = p.acquire(0, open());
    await p.close(1000);
    expect(await waiting).toBeUndefined();
    expect(spawned.every((w) => !w.alive)).toBe(true);
  });
});
