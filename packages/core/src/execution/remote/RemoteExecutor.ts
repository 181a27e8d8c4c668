import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { SerializationError } from '../../errors/SerializationError';
import { WorkerCrashError } from '../../errors/WorkerCrashError';
import type { ResolutionScope } from '../../params/ResolutionScope';
import { errorMessage } from '../../errors/errorMessage';
import type { ExecutableTask, Executor, RoomListener, RunListener } from '../Executor';
import type { RunHandle } from '../RunHandle';
import type { RunOutcome } from '../runInProcess';
import { TaskInaction } from '../TaskInaction';
import { findUncloneable } from './findUncloneable';
import { processTransport } from './processTransport';
import { prepareRun } from '../signature/prepareRun';
import { ExecutionUnavailableError } from '../../errors/ExecutionUnavailableError';
import type { RunUpdate, TaskTarget, ToWorker } from './protocol';
import { RemoteWorker } from './RemoteWorker';
import { threadTransport } from './threadTransport';
import { fromWireError } from './wireError';
import { workerExecArgv } from './workerExecArgv';
import { WorkerPool } from './WorkerPool';

/**
 * How long a terminated run may take to notice its aborted `@Signal()` and return before its
 * worker is killed. Long enough for a cooperative task to clean up; short enough that a task
 * stuck in a synchronous loop does not hold its slot for long.
 */
export const TERMINATION_GRACE_MS = 1000;

/** The worker entry point, next to this file (`.js` when compiled, `.ts` under a TypeScript loader). */
export const WORKER_ENTRY = join(__dirname, `workerMain${extname(__filename)}`);

/** Where this executor runs tasks. */
type Destination = 'thread' | 'process';

/** One `thread` or `process` run, as the scheduler handed it over. */
interface RemoteJob {
  readonly kind: Destination;
  readonly task: ExecutableTask;
  readonly target: TaskTarget;
  readonly scope: ResolutionScope;
  readonly run: RunHandle;
  readonly listener: RunListener;
}

/** The registered tasks, read when a worker starts: it needs a TypeScript loader if any module is TypeScript. */
export interface TargetSource {
  readonly tasks: Iterable<{ readonly definition: { readonly target: TaskTarget | undefined } }>;
}

/** Caps and inputs of {@link RemoteExecutor}. */
export interface RemoteExecutorOptions {
  /** Default: the number of cores. */
  readonly maxThreads?: number;
  readonly maxProcesses?: number;
  /** Where the modules of every registered thread/process task are found. */
  readonly tasks: TargetSource;
}

const isRemote = (execution: string): execution is Destination =>
  execution === 'thread' || execution === 'process';

/**
 * Runs tasks in worker threads and child processes. Arguments are resolved here, in the
 * scheduler, and cross as structured clones; only the run's `AbortSignal` and injected
 * services are made on the other side. Pools start lazily and close at shutdown.
 */
export class RemoteExecutor implements Executor {
  private readonly pools = new Map<Destination, WorkerPool>();
  private listener: RoomListener | undefined;

  constructor(private readonly options: RemoteExecutorOptions) {}

  /**
   * Whether a run of this kind would get a worker at once. The scheduler launches only then,
   * so a backlog stays in the tasks' batch queues (a few bytes each) instead of becoming
   * thousands of pending runs.
   */
  hasRoom(task: ExecutableTask): boolean {
    return !isRemote(task.execution) || (this.pools.get(task.execution)?.hasRoom ?? true);
  }

  listen(listener: RoomListener): void {
    this.listener = listener;
  }

  /**
   * Waits for a worker (in priority order), then runs the task there; see {@link RemoteExecutor.run}.
   * A task without a `thread`/`process` execution or a target fails as a run.
   */
  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    const { execution, target } = task;
    if (!isRemote(execution) || target === undefined) {
      listener.begun(run);
      const problem = `RemoteExecutor was handed task "${task.name}" with execution '${execution}'${target === undefined ? ' and no target module' : ''}; it runs only 'thread' and 'process' tasks with a target`;
      const fix =
        'register the task through App (which finds its module), or hand it to the executor of its own execution';
      listener.ended(run, { action: 'fail', error: new ExecutionUnavailableError(task.name, problem, fix) });
      return;
    }
    void this.run({ kind: execution, task, target, scope, run, listener });
  }

  /** Why a worker could not load `module`, or `undefined` when it can. */
  static loadProblem(module: string): string | undefined {
    const result = workerExecArgv([WORKER_ENTRY, module]);
    return 'problem' in result ? result.problem : undefined;
  }

  /**
   * Waits for a worker (in priority order), resolves and checks the arguments, runs the task and
   * reports how it ended, before the worker goes to the next run (so the log shows an end before
   * the start it made room for). Nothing is reported when the run was terminated first: the
   * scheduler has recorded that already. Never rejects.
   */
  private async run(job: RemoteJob): Promise<void> {
    const { run, listener } = job;
    try {
      const pool = this.pool(job.kind);
      const worker = await pool.acquire(job.task.priority, run.signal);
      if (worker === undefined) return;
      listener.begun(run);
      const outcome = await this.runOn(job, worker);
      if (outcome !== undefined && !run.settled) listener.ended(run, outcome);
      pool.release(worker);
    } catch (error) {
      // A bug here must cost one run, not the scheduler: record it and go on.
      listener.begun(run);
      if (!run.settled) listener.ended(run, { action: 'fail', error });
    }
  }

  private async runOn(job: RemoteJob, worker: RemoteWorker): Promise<RunOutcome | undefined> {
    const { run } = job;
    let message: Extract<ToWorker, { type: 'run' }>;
    try {
      message = await this.prepare(job);
    } catch (error) {
      if (error instanceof TaskInaction) return { action: 'inaction', error };
      return { action: 'fail', error };
    }
    if (run.settled) return undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      worker.abort(run.runId, run.signal.reason);
      grace = setTimeout(() => {
        worker.kill();
      }, TERMINATION_GRACE_MS);
    };
    run.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await worker.execute(message, (update) => {
        deliver(run, update);
      });
      if ('exit' in result)
        return {
          action: 'fail',
          error: new WorkerCrashError(job.target.taskName, run.runId, job.kind, result.exit),
        };
      const report = result.report;
      if (report.type === 'success') return { action: 'success', returnValue: report.returnValue };
      if (report.type === 'uncloneable') {
        const { path, problem } = report;
        return {
          action: 'fail',
          error: new SerializationError(job.target.taskName, 'return value', path, problem, job.kind),
        };
      }
      const error = fromWireError(report.error);
      return report.type === 'inaction'
        ? {
            action: 'inaction',
            error: Object.assign(new TaskInaction(error.message), { stack: error.stack }),
          }
        : { action: 'fail', error };
    } catch (error) {
      // The message itself could not be cloned, something findUncloneable cannot see (a Proxy).
      const problem = `not cloneable (${errorMessage(error)})`;
      return {
        action: 'fail',
        error: new SerializationError(job.target.taskName, 'arguments', 'the arguments', problem, job.kind),
      };
    } finally {
      run.signal.removeEventListener('abort', onAbort);
      if (grace !== undefined) clearTimeout(grace);
    }
  }

  /** Kills every worker and waits for them to exit. The executor can be used again afterwards. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close(TERMINATION_GRACE_MS)));
  }

  /** Prepares the run in the scheduler, checking that each value can cross as a structured clone. */
  private async prepare(job: RemoteJob): Promise<Extract<ToWorker, { type: 'run' }>> {
    const { target, kind } = job;
    const prepared = await prepareRun(job.task.signature, job.scope, (value, key) => {
      const bad = findUncloneable(value, key);
      if (bad !== undefined) throw new SerializationError(target.taskName, key, bad.path, bad.problem, kind);
      return value;
    });
    const carried = job.run.observation?.worker;
    return {
      type: 'run',
      runId: job.run.runId,
      target,
      ...prepared,
      ...(carried === undefined ? {} : { carrier: carried.carrier, contextModule: carried.module }),
    };
  }

  private pool(kind: Destination): WorkerPool {
    let pool = this.pools.get(kind);
    if (pool === undefined) {
      const cores = availableParallelism();
      const limit =
        kind === 'thread' ? (this.options.maxThreads ?? cores) : (this.options.maxProcesses ?? cores);
      pool = new WorkerPool(
        limit,
        () => this.spawn(kind),
        () => this.listener?.roomFor(kind),
      );
      this.pools.set(kind, pool);
    }
    return pool;
  }

  private spawn(kind: Destination): RemoteWorker {
    const modules: string[] = [];
    for (const { definition } of this.options.tasks.tasks)
      if (definition.target !== undefined) modules.push(definition.target.module);
    const loader = workerExecArgv([WORKER_ENTRY, ...modules]);
    // A module without a loader was refused at registration; without one here the worker reports the load error.
    const execArgv = 'execArgv' in loader ? loader.execArgv : [...process.execArgv];
    const transport =
      kind === 'thread' ? threadTransport(WORKER_ENTRY, execArgv) : processTransport(WORKER_ENTRY, execArgv);
    // Nothing ran there, so no run fails: only the event tells. The pool spawns a fresh one when needed.
    return new RemoteWorker(transport, (exit, last) =>
      this.listener?.workerExited?.({ execution: kind, taskName: last.taskName, runId: last.runId, exit }),
    );
  }
}

/** What a worker sent back while the run executes, handed to the scheduler's run. */
function deliver(run: RunHandle, update: RunUpdate): void {
  // Progress was checked in the worker already; anything after the run ended is dropped by the handle.
  if (update.type === 'progress') run.report(update.fraction, update.message);
  else run.write(update.line);
}
