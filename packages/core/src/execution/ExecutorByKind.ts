import { ExecutionUnavailableError } from '../errors/ExecutionUnavailableError';
import type { Execution } from '../metadata/TaskOptions';
import type { ResolutionScope } from '../params/ResolutionScope';
import type { ExecutableTask, Executor, RoomListener, RunListener } from './Executor';
import { InProcessExecutor } from './InProcessExecutor';
import { RemoteExecutor, type RemoteExecutorOptions } from './remote/RemoteExecutor';
import type { RunHandle } from './RunHandle';

/** An executor for each kind; `queue` only when the app was given one (`...bullmq()`). */
export type ExecutorsByKind = Readonly<Record<Exclude<Execution, 'queue'>, Executor>> & {
  readonly queue?: Executor;
};

/**
 * One executor per execution kind, behind the one {@link Executor} interface: the default
 * sends `main` and `async` runs to an {@link InProcessExecutor}, `thread` and `process` runs
 * to a {@link RemoteExecutor}, and `queue` runs to the queue executor the app was given.
 * Replacing an entry changes where those runs execute and nothing else.
 *
 * @example
 * ```ts
 * const executor = ExecutorByKind.standard({ maxThreads: 2, tasks: app.session });
 * ```
 */
export class ExecutorByKind implements Executor {
  private readonly distinct: readonly Executor[];

  constructor(private readonly byKind: ExecutorsByKind) {
    this.distinct = [...new Set(Object.values<Executor>(byKind))];
  }

  /** In-process for `main` and `async`, worker threads and child processes for `thread` and `process`. */
  static standard(options: RemoteExecutorOptions, queue?: Executor): ExecutorByKind {
    const local = new InProcessExecutor();
    const remote = new RemoteExecutor(options);
    return new ExecutorByKind({
      main: local,
      async: local,
      thread: remote,
      process: remote,
      ...(queue === undefined ? {} : { queue }),
    });
  }

  hasRoom(task: ExecutableTask): boolean {
    return this.byKind[task.execution]?.hasRoom(task) ?? true;
  }

  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    const executor = this.byKind[task.execution];
    if (executor !== undefined) {
      executor.execute(task, scope, run, listener);
      return;
    }
    // Registration refuses such a task; an executor assembled by hand may still lack the kind.
    listener.begun(run);
    const error = new ExecutionUnavailableError(
      task.name,
      `it has execution '${task.execution}', and no executor runs that kind`,
      "spread ...bullmq({ url, name }) into new App({ ... }) for 'queue' runs",
    );
    listener.ended(run, { action: 'fail', error });
  }

  listen(listener: RoomListener): void {
    for (const executor of this.distinct) executor.listen(listener);
  }

  async open(): Promise<void> {
    for (const executor of this.distinct) await executor.open?.();
  }

  async liveElsewhere(): Promise<ReadonlySet<string>> {
    const none: ReadonlySet<string> = new Set();
    const sets = await Promise.all(
      this.distinct.map((executor) => executor.liveElsewhere?.() ?? Promise.resolve(none)),
    );
    return new Set(sets.flatMap((set) => [...set]));
  }

  async close(): Promise<void> {
    await Promise.all(this.distinct.map((executor) => executor.close()));
  }
}
