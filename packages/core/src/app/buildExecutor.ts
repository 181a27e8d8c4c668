import { ExecutorByKind } from '../execution/ExecutorByKind';
import type { AppConfig } from './AppConfig';
import { createQueueExecutor, type QueueContext, type QueueExecution } from './QueueExecution';
import type { SessionState } from './SessionState';

/**
 * The app's executor: in-process, thread and process runs as `config` caps them, and `queue` runs
 * on the executor `queue` creates for this app, when it was given one.
 */
export function buildExecutor(
  config: AppConfig,
  session: SessionState,
  queue: QueueExecution | undefined,
  context: Omit<QueueContext, 'findTask'>,
): ExecutorByKind {
  return ExecutorByKind.standard(
    {
      ...(config.maxThreads === undefined ? {} : { maxThreads: config.maxThreads }),
      ...(config.maxProcesses === undefined ? {} : { maxProcesses: config.maxProcesses }),
      tasks: session,
    },
    queue === undefined
      ? undefined
      : createQueueExecutor(queue, {
          ...context,
          findTask: (name) => session.findTask(name)?.definition,
        }),
  );
}
