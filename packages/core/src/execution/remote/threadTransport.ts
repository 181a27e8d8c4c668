import { Worker } from 'node:worker_threads';
import type { FromWorker } from './protocol';
import type { SpawnTransport } from './WorkerTransport';

// Options a worker thread accepts: the ones that load code. V8 and process-wide options
// (--max-old-space-size, --expose-gc, --title, ...) make `new Worker` throw.
const TAKES_VALUE = new Set([
  '--require',
  '-r',
  '--import',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
]);
const MODULE_OPTIONS = new Set([...TAKES_VALUE, '--enable-source-maps', '--no-warnings']);

/** The part of `execArgv` a worker thread accepts. */
export function threadExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const name = arg.split('=', 1)[0] as string;
    const takesNext = TAKES_VALUE.has(arg) && i + 1 < execArgv.length;
    if (MODULE_OPTIONS.has(name)) kept.push(...(takesNext ? [arg, execArgv[i + 1] as string] : [arg]));
    if (takesNext) i++;
  }
  return kept;
}

/**
 * Runs `entry` in a `worker_threads` worker. `execArgv` is what a child process would get; a
 * thread inherits its process's options as they are unless a loader must be added.
 */
export function threadTransport(entry: string, execArgv: readonly string[]): SpawnTransport {
  const inherit =
    execArgv.length === process.execArgv.length && execArgv.every((a, i) => a === process.execArgv[i]);
  const options = inherit ? {} : { execArgv: threadExecArgv(execArgv) };
  return (events) => {
    // Loaded with require() from a one-line script rather than as the thread's main module:
    // Node 20 applies a TypeScript loader's require hook in worker threads, but not its
    // ES module hooks, and a `.ts` main module under `--import tsx` would go to the latter.
    const worker = new Worker(`require(${JSON.stringify(entry)});`, { eval: true, ...options });
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
