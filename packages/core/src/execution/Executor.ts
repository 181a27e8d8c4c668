import type { WorkerExit } from '../errors/WorkerCrashError';
import type { Execution } from '../metadata/TaskOptions';
import type { ResolutionScope } from '../params/ResolutionScope';
import type { Signature } from '../params/Signature';
import type { TaskTarget } from './remote/protocol';
import type { RunHandle } from './RunHandle';
import type { RunOutcome } from './runInProcess';

/** What an executor needs to know about a task to run it (a subset of its settled definition). */
export interface ExecutableTask {
  readonly name: string;
  /** `Class.method` or the task's name, for messages. */
  readonly owner: string;
  readonly execution: Execution;
  /** Where a worker finds the task's code; only `thread` and `process` runs use it. */
  readonly target: TaskTarget | undefined;
  readonly priority: number;
  /** What its parameters receive, and where each value is produced. */
  readonly signature: Signature;
  /**
   * A start-up or shutdown task: it belongs to each process, so its runs are not claimed through
   * the start fence (a queue worker then has no claim to check).
   */
  readonly onStartup?: boolean;
  readonly onShutdown?: boolean;
  /** Calls the task's code in this process with resolved arguments. */
  readonly invoke: (args: unknown[]) => unknown;
}

/** How an executor reports on a run it was given. */
export interface RunListener {
  /**
   * The run got a place to execute: its start is recorded now. Called once, before
   * {@link RunListener.ended}; an in-process run begins at once, a worker run when a worker is free.
   */
  begun(run: RunHandle): void;
  /** How the run ended. Not called when the run was settled (terminated) first. */
  ended(run: RunHandle, outcome: RunOutcome): void;
}

/** A worker that died between runs (see the `workerExited` event). */
export interface WorkerExitReport {
  readonly execution: 'thread' | 'process';
  /** The last run it ran. */
  readonly taskName: string;
  readonly runId: string;
  readonly exit: WorkerExit;
}

/** Told when an executor that had no room for runs of a kind has room again, and when a worker died between runs. */
export interface RoomListener {
  roomFor(execution: Execution): void;
  /** A worker died while it ran nothing (its last run had already reported); it is replaced. */
  workerExited?(report: WorkerExitReport): void;
  /**
   * Takes over a run that another process started and that still executes elsewhere (a queue job
   * running when the leadership changed): it counts as live from now on and its end is recorded
   * here. `begunAt` is when it began executing (its timeout counts from it; a `run` record the
   * process that began it did not write is written with it), or `undefined` while it still waits.
   * Returns the run and where to report on it, or `undefined` when no task has that name or the
   * run is live here already.
   */
  adopt?(taskName: string, runId: string, begunAt: number | undefined): AdoptedRun | undefined;
}

/** A run taken over with {@link RoomListener.adopt}. */
export interface AdoptedRun {
  readonly run: RunHandle;
  readonly listener: RunListener;
}

/**
 * Where a run executes: in this event loop, in a worker thread, in a child process, or as a
 * job in a queue that any instance's worker may take. The scheduler talks to this interface only.
 *
 * @example
 * ```ts
 * const executor: Executor = new ExecutorByKind({ maxThreads: 2, tasks: app.session });
 * ```
 */
export interface Executor {
  /**
   * Whether a run of `task` would begin at once. The scheduler launches only then, so a backlog
   * stays in the tasks' batch queues instead of becoming pending runs; when room comes back the
   * executor tells its {@link RoomListener}.
   */
  hasRoom(task: ExecutableTask): boolean;
  /**
   * Runs `task` with its arguments resolved in `scope`, reporting to `listener`. Never throws and
   * never rejects: every failure is an outcome. A terminated run is aborted through `run.signal`.
   */
  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void;
  /**
   * Starts what must run while the app runs, whether or not it leads (a queue's worker). Called
   * once per `app.run()`, before the scheduler starts; {@link Executor.close} undoes it.
   */
  open?(): Promise<void>;
  /** Registers who is told when room frees up (one listener; a later call replaces it). */
  listen(listener: RoomListener): void;
  /**
   * Ids of runs that execute outside this process and are still alive (queue jobs waiting or
   * running on any instance), for a log restoring state not to record them `crash`.
   */
  liveElsewhere?(): Promise<ReadonlySet<string>>;
  /** Releases workers and connections; the executor can be used again afterwards. */
  close(): Promise<void>;
}
