import { ExecutorByKind } from '../execution/ExecutorByKind';
import { runInCarriedContext } from '../execution/instrumentation/runInCarriedContext';
import { loadModule } from '../execution/loadModule';
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
  context: Omit<QueueContext, 'findTask' | 'enterCarried'> & {
    /** The `workerModule` of the app's instrumentation, asked at each run (see `Instruments`). */
    readonly workerModule: () => string | undefined;
  },
): ExecutorByKind {
  const { workerModule, ...shared } = context;
  return ExecutorByKind.standard(
    {
      ...(config.maxThreads === undefined ? {} : { maxThreads: config.maxThreads }),
      ...(config.maxProcesses === undefined ? {} : { maxProcesses: config.maxProcesses }),
      tasks: session,
    },
    queue === undefined
      ? undefined
      : createQueueExecutor(queue, {
          ...shared,
          findTask: (name) => session.findTask(name)?.definition,
          enterCarried: (carrier, fn) => {
            const module = carrier === undefined ? undefined : workerModule();
            const carried = module === undefined || carrier === undefined ? undefined : { module, carrier };
            return runInCarriedContext(
              carried,
              loadModule,
              (message) => {
                shared.logger.warn(message);
              },
              fn,
            );
          },
        }),
  );
}
