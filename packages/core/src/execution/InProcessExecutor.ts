import type { ResolutionScope } from '../params/ResolutionScope';
import type { ExecutableTask, Executor, RunListener } from './Executor';
import type { RunHandle } from './RunHandle';
import { runInProcess } from './runInProcess';

/**
 * Runs tasks in this event loop (`main` and `async` execution): it always has room, and a run
 * begins the moment it is handed over. Whether the scheduler awaits the run (`main`) is the
 * scheduler's business.
 */
export class InProcessExecutor implements Executor {
  hasRoom(): boolean {
    return true;
  }

  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    listener.begun(run);
    void runInProcess(task.signature, task.invoke, scope, run).then((outcome) => {
      if (outcome !== undefined && !run.settled) listener.ended(run, outcome);
    });
  }

  listen(): void {
    // Never out of room: nobody to tell.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
