import type { RemoteWorker } from './RemoteWorker';
import { TurnQueue } from './TurnQueue';

interface Waiter {
  /** Set once it got a worker or gave up. */
  done: boolean;
  readonly resolve: (worker: RemoteWorker | undefined) => void;
}

/**
 * Up to `limit` workers of one kind, reused between runs. A run that finds them all busy waits
 * its turn: higher priority first, then first come, first served. Nothing is dropped; a wait
 * ends only with a worker, the run's own termination, or the pool closing.
 */
export class WorkerPool {
  private readonly idle: RemoteWorker[] = [];
  /** Live workers: running, idle, or winding down after a kill. */
  private readonly workers = new Set<RemoteWorker>();
  // A terminated run's wait is only marked done: a mass terminate() of a long backlog must not
  // search the queue once per run.
  private readonly waiting = new TurnQueue<Waiter>((w) => w.done);
  private waiters = 0;
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly spawn: () => RemoteWorker,
    /** Called when a worker is free again with nobody waiting for it. */
    private readonly onRoom: () => void = () => undefined,
  ) {}

  /** Whether a run would get a worker now. */
  get hasRoom(): boolean {
    return !this.closed && this.waiters === 0 && this.free();
  }

  /** Live workers, busy or idle. */
  get size(): number {
    return this.workers.size;
  }

  /** Runs waiting for a worker. */
  get queued(): number {
    return this.waiters;
  }

  /**
   * A worker for one run, now or when one frees up. Resolves `undefined` if `signal` aborts
   * first (the run was terminated while it waited) or the pool closes.
   */
  acquire(priority: number, signal: AbortSignal): Promise<RemoteWorker | undefined> {
    if (this.closed || signal.aborted) return Promise.resolve(undefined);
    const ready = this.take();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        waiter.resolve(undefined);
      };
      const waiter: Waiter = {
        done: false,
        resolve: (worker) => {
          if (waiter.done) return;
          waiter.done = true;
          this.waiters--;
          signal.removeEventListener('abort', onAbort);
          resolve(worker);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter, priority);
      this.waiters++;
    });
  }

  /** Gives back a healthy worker after its run: to the next waiter, or to the idle list. */
  release(worker: RemoteWorker): void {
    if (!worker.alive) return;
    if (this.closed) {
      worker.kill();
      return;
    }
    const next = this.waiting.shift();
    if (next !== undefined) {
      next.resolve(worker);
      return;
    }
    // An idle worker must not keep the process alive once the scheduler has nothing to do.
    worker.setRef(false);
    this.idle.push(worker);
    this.onRoom();
  }

  /**
   * Ends every wait, kills idle workers at once and busy ones as they come back, or after
   * `graceMs` at the latest; resolves when all have exited.
   */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.drain()) waiter.resolve(undefined);
    for (const worker of this.idle.splice(0)) worker.kill();
    const exits = Promise.all([...this.workers].map((worker) => worker.exited));
    const stragglers = setTimeout(() => {
      for (const worker of this.workers) worker.kill();
    }, graceMs);
    try {
      await exits;
    } finally {
      clearTimeout(stragglers);
    }
  }

  private take(): RemoteWorker | undefined {
    for (let worker = this.idle.pop(); worker !== undefined; worker = this.idle.pop()) {
      if (!worker.alive) continue;
      worker.setRef(true);
      return worker;
    }
    if (this.workers.size >= this.limit) return undefined;
    const worker = this.spawn();
    this.workers.add(worker);
    void worker.exited.then(() => {
      this.workers.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.grant();
      if (this.hasRoom) this.onRoom();
    });
    return worker;
  }

  /** A worker died and freed a slot: hand fresh workers to whoever waits. */
  private grant(): void {
    while (!this.closed && this.waiters > 0 && this.free()) {
      const next = this.waiting.shift();
      const worker = next === undefined ? undefined : this.take();
      if (next === undefined || worker === undefined) return;
      next.resolve(worker);
    }
  }

  private free(): boolean {
    return this.workers.size < this.limit || this.idle.some((w) => w.alive);
  }
}
