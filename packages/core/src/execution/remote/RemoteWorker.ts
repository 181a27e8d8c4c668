import { errorMessage } from '../../errors/errorMessage';
import type { WorkerExit } from '../../errors/WorkerCrashError';
import type { RunReport, RunUpdate, ToWorker } from './protocol';
import { fromWireError, toWireError } from './wireError';
import type { SpawnTransport, TransportEvents, WorkerTransport } from './WorkerTransport';

/** How a run sent to a worker ended: its report, or the worker's death. */
export type WorkerResult = { readonly report: RunReport } | { readonly exit: WorkerExit };

/** The last run a worker ran, for reporting its death between runs. */
export interface LastRun {
  readonly taskName: string;
  readonly runId: string;
}

/** One worker thread or child process, running at most one run at a time. */
export class RemoteWorker {
  /** Settles when the worker has ended, however it ended. */
  readonly exited: Promise<WorkerExit>;
  private readonly transport: WorkerTransport;
  private current:
    | { runId: string; settle: (result: WorkerResult) => void; update: (update: RunUpdate) => void }
    | undefined;
  private exitInfo: WorkerExit | undefined;
  /** What a dying child reported before its exit. */
  private crash: Error | undefined;
  private lastRun: LastRun | undefined;
  /** Its end was asked for (`kill()`): not a death to report. */
  private killed = false;

  constructor(
    spawn: SpawnTransport,
    /** Told when it dies on its own while idle, after at least one run. */
    private readonly diedIdle: (exit: WorkerExit, last: LastRun) => void = () => undefined,
  ) {
    let markExited: (exit: WorkerExit) => void = () => undefined;
    this.exited = new Promise((resolve) => {
      markExited = resolve;
    });
    const events = {
      message: (message) => {
        if (message.type === 'crash') {
          this.crash = fromWireError(message.error);
          return;
        }
        const current = this.current;
        if (current?.runId !== message.runId) return;
        if (message.type === 'progress' || message.type === 'output') {
          current.update(message);
          return;
        }
        this.current = undefined;
        current.settle({ report: message });
      },
      exit: (reported) => {
        const exit =
          this.crash === undefined || reported.error !== undefined
            ? reported
            : { ...reported, error: this.crash };
        this.exitInfo = exit;
        const current = this.current;
        this.current = undefined;
        current?.settle({ exit });
        if (current === undefined && !this.killed && this.lastRun !== undefined)
          this.diedIdle(exit, this.lastRun);
        markExited(exit);
      },
    } satisfies TransportEvents;
    try {
      this.transport = spawn(events);
    } catch (error) {
      // It could not even start (bad options, no memory for a thread): a worker born dead.
      this.transport = { send: () => undefined, kill: () => undefined, setRef: () => undefined };
      events.exit({ code: null, signal: null, error, notStarted: true });
    }
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /**
   * Sends a run and resolves with its report, or with the exit if the worker dies first; its
   * progress and output go to `update` meanwhile. Throws if the message cannot be cloned.
   */
  execute(
    message: Extract<ToWorker, { type: 'run' }>,
    update: (update: RunUpdate) => void = () => undefined,
  ): Promise<WorkerResult> {
    if (this.exitInfo !== undefined) return Promise.resolve({ exit: this.exitInfo });
    return new Promise<WorkerResult>((settle, reject) => {
      this.current = { runId: message.runId, settle, update };
      this.lastRun = { taskName: message.target.taskName, runId: message.runId };
      try {
        this.transport.send(message);
      } catch (error) {
        this.current = undefined;
        reject(error instanceof Error ? error : new Error(errorMessage(error)));
      }
    });
  }

  /** Asks the running task to stop: its `@Signal()` aborts with `reason`. */
  abort(runId: string, reason: unknown): void {
    if (this.exitInfo !== undefined) return;
    try {
      this.transport.send({ type: 'abort', runId, reason: toWireError(reason) });
    } catch {
      // The channel is already closing: the kill that follows the grace period still applies.
    }
  }

  /** Ends the worker now. */
  kill(): void {
    this.killed = true;
    if (this.exitInfo === undefined) this.transport.kill();
  }

  /** Whether the worker keeps this process alive. */
  setRef(ref: boolean): void {
    if (this.exitInfo === undefined) this.transport.setRef(ref);
  }
}
