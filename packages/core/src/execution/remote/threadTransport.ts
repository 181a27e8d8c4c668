import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol';
import type { SpawnTransport } from './WorkerTransport';

/** Runs `entry` in a `worker_threads` worker. */
export function threadTransport(entry: string, execArgv: readonly string[]): SpawnTransport {
  return (events) => {
    // Loaded with require() from a one-line script rather than as the thread's main module:
    // Node 20 applies a TypeScript loader's require hook in worker threads, but not its
    // ES module hooks, and a `.ts` main module under `--import tsx` would go to the latter.
    const worker = new Worker(`require(${JSON.stringify(entry)});`, { eval: true, execArgv: [...execArgv] });
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
