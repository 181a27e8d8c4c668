import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol';
import type { SpawnTransport } from './WorkerTransport';

/** Runs `entry` in a `worker_threads` worker. */
export function threadTransport(entry: string, execArgv: readonly string[]): SpawnTransport {
  return (events) => {
    const worker = new Worker(entry, { execArgv: [...execArgv] });
    let error: unknown;
    worker.on('message', (message: FromWorker) => {
      events.message(message);
    });
    // An uncaught exception ends the thread: keep it for the exit report.
    worker.on('error', (e) => {
      error = e;
    });
    worker.on('exit', (code) => {
      events.exit({ code, signal: null, ...(error === undefined ? {} : { error }) });
    });
    return {
      send: (message) => {
        worker.postMessage(message);
      },
      kill: () => {
        void worker.terminate();
      },
      setRef: (ref) => {
        if (ref) worker.ref();
        else worker.unref();
      },
    };
  };
}
