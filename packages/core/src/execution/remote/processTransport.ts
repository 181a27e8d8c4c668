import { fork } from 'node:child_process';
import type { FromWorker } from './protocol';
import type { SpawnTransport } from './WorkerTransport';

/**
 * Runs `entry` in a child process. Messages use the `advanced` (structured clone)
 * serialization, so values cross exactly as they do to a worker thread.
 */
export function processTransport(entry: string, execArgv: readonly string[]): SpawnTransport {
  return (events) => {
    const child = fork(entry, [], { execArgv: [...execArgv], serialization: 'advanced' });
    let exited = false;
    const exit = (code: number | null, signal: NodeJS.Signals | null, error?: unknown): void => {
      if (exited) return;
      exited = true;
      events.exit({ code, signal, ...(error === undefined ? {} : { error }) });
    };
    child.on('message', (message: FromWorker) => {
      events.message(message);
    });
    child.on('exit', (code, signal) => {
      exit(code, signal);
    });
    // A child that could not be started emits 'error' and may never emit 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) exit(null, null, error);
    });
    return {
      send: (message) => {
        child.send(message);
      },
      kill: () => {
        child.kill('SIGKILL');
      },
      setRef: (ref) => {
        if (ref) {
          child.ref();
          child.channel?.ref();
        } else {
          child.unref();
          child.channel?.unref();
        }
      },
    };
  };
}
