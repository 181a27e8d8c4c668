import type { Execution } from '../metadata/TaskOptions';
import type { ResolutionScope } from '../params/ResolutionScope';
import type { ExecutableTask, Executor, RoomListener, RunListener } from './Executor';
import { InProcessExecutor } from './InProcessExecutor';
import { RemoteExecutor, type RemoteExecutorOptions } from './remote/RemoteExecutor';
import type { RunHandle } from './RunHandle';

/**
 * One executor per execution kind, behind the one {@link Executor} interface: the default
 * sends `main` and `async` runs to an {@link InProcessExecutor} and `thread` and `process` runs
 * to a {@link RemoteExecutor}. Replacing an entry (a queue for `process` runs, say) changes where
 * those runs execute and nothing else.
 *
 * @example
 * ```ts
 * const executor = ExecutorByKind.standard({ maxThreads: 2, tasks: app.session });
 * ```
 */
export class ExecutorByKind implements Executor {
  private readonly distinct: readonly Executor[];

  constructor(private readonly byKind: Readonly<Record<Execution, Executor>>) {
    this.distinct = [...new Set(Object.values(byKind))];
  }

  /** In-process for `main` and `async`, worker threads and child processes for the rest. */
  static standard(options: RemoteExecutorOptions): ExecutorByKind {
    const local = new InProcessExecutor();
    const remote = new RemoteExecutor(options);
    return new ExecutorByKind({ main: local, async: local, thread: remote, process: remote });
  }

  hasRoom(task: ExecutableTask): boolean {
    return this.byKind[task.execution].hasRoom(task);
  }

  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    this.byKind[task.execution].execute(task, scope, run, listener);
  }

  listen(listener: RoomListener): void {
    for (const executor of this.distinct) executor.listen(listener);
  }

  async close(): Promise<void> {
    await Promise.all(this.distinct.map((executor) => executor.close()));
  }
}
