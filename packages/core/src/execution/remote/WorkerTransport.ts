import type { WorkerExit } from '../../errors/WorkerCrashError';
import type { FromWorker, ToWorker } from './protocol';

/** What a transport reports about its worker. */
export interface TransportEvents {
  message(message: FromWorker): void;
  /** Called once, however the worker ended. */
  exit(exit: WorkerExit): void;
}

/** A worker thread or child process, seen as a message channel that can be killed. */
export interface WorkerTransport {
  /** Throws when `message` cannot be cloned. */
  send(message: ToWorker): void;
  /** Ends it now, even in the middle of a synchronous loop. */
  kill(): void;
  /** Whether it keeps this process alive: yes while it runs something, no while it idles. */
  setRef(ref: boolean): void;
}

/** Starts a worker, given where to report. */
export type SpawnTransport = (events: TransportEvents) => WorkerTransport;
