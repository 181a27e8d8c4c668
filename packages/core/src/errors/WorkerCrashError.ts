import { ApogeeError } from './ApogeeError';
import { errorMessage } from './errorMessage';
import type { Destination } from './SerializationError';

/** How a worker thread or child process ended without returning a result. */
export interface WorkerExit {
  /** Exit code, when it exited. */
  readonly code: number | null;
  /** The signal that killed a child process, when one did. */
  readonly signal: NodeJS.Signals | null;
  /** The error it died of, when it reported one (an uncaught exception outside the task). */
  readonly error?: unknown;
  /** It failed to start at all. */
  readonly notStarted?: boolean;
}

function describe(exit: WorkerExit): string {
  if (exit.notStarted === true) return 'could not be started';
  if (exit.signal !== null) return `was killed by signal ${exit.signal}`;
  return `exited with code ${String(exit.code)}`;
}

/**
 * The worker thread or child process running a task died before returning a result: an
 * uncaught exception outside the task's promise, `process.exit()`, a native crash, or a
 * kill from outside. The run is recorded as `fail` with this error; the scheduler goes on
 * and the next run gets a fresh worker.
 */
export class WorkerCrashError extends ApogeeError {
  /** Exit code, when the worker exited. */
  readonly exitCode: number | null;
  /** Killing signal, for a child process. */
  readonly signal: NodeJS.Signals | null;

  constructor(taskName: string, runId: string, destination: Destination, exit: WorkerExit) {
    const place = destination === 'thread' ? 'worker thread' : 'child process';
    const reason =
      exit.error === undefined
        ? ''
        : exit.notStarted === true
          ? `: ${errorMessage(exit.error)}`
          : `, after an uncaught error outside the task: ${errorMessage(exit.error)}`;
    super(
      'WORKER_CRASHED',
      `Task "${taskName}" (run ${runId}): its ${place} ${describe(exit)}${exit.notStarted === true ? '' : ' before returning a result'}${reason}\n` +
        `Fix: look at the ${place}'s output above. An uncaught error in a callback or timer the task left ` +
        `behind, process.exit(), or a crash in a native module ends the ${place}; await everything the task ` +
        `starts and let errors reach its promise.`,
      { taskName, input: exit, ...(exit.error === undefined ? {} : { cause: exit.error }) },
    );
    this.exitCode = exit.code;
    this.signal = exit.signal;
  }
}
