import type { Condition } from '../conditions/Condition';
import { ApogeeError } from '../errors/ApogeeError';
import { workerRegistry } from '../execution/remote/workerContext';
import { errorText } from '../logging/errorText';
import type { AppParts } from './assembleApp';
import type { AppRegistrar } from './AppRegistrar';
import { followSharedLog } from './followSharedLog';
import type { RunOptions } from './RunOptions';
import { watchSignals } from './watchSignals';
import { watchUncaughtErrors } from './watchUncaughtErrors';

/** What running and stopping an app reaches. */
export type AppLifecycleParts = Pick<
  AppParts,
  | 'config'
  | 'subject'
  | 'log'
  | 'clock'
  | 'logs'
  | 'leadership'
  | 'state'
  | 'sessionState'
  | 'restorer'
  | 'executor'
  | 'scheduler'
  | 'output'
>;

/**
 * `app.run()` and `app.shutdown()`: following the shared log, restoring the state, the checks
 * before a run, the executor, the leadership and the scheduler opened in order and given back.
 */
export class AppLifecycle {
  // ---- state ----
  /** From app.run() until its scheduler has stopped and the run log is released. */
  private isRunning = false;
  /** `shutdown()` came while `run()` was still restoring the log: the scheduler must not start. */
  private stopBeforeStart = false;
  /** Settles when the current `run()` has finished (what an early `shutdown()` waits for). */
  private runFinished: Promise<void> = Promise.resolve();

  constructor(
    private readonly parts: AppLifecycleParts,
    /** Checks the registrations before a run (see {@link AppRegistrar.beforeRun}). */
    private readonly registrar: Pick<AppRegistrar, 'beforeRun'>,
  ) {}

  /** From `run()` until its scheduler has stopped and the run log is released. */
  get running(): boolean {
    return this.isRunning;
  }

  /** See `App.run`. */
  async run(options: RunOptions): Promise<void> {
    // A worker thread or child process loaded this module for its tasks: the scheduler runs elsewhere.
    if (workerRegistry() !== undefined) return;
    if (this.isRunning)
      throw new ApogeeError(
        'SCHEDULER_STATE',
        'The scheduler is already running: app.run() was called twice. Await the first run, or call app.shutdown() first.',
      );
    this.isRunning = true;
    this.stopBeforeStart = false;
    let finished: () => void = () => undefined;
    this.runFinished = new Promise((resolve) => {
      finished = resolve;
    });
    const stopWatching = this.watchErrors();
    let stopFollowing: (() => void) | undefined;
    let stopSignals: (() => void) | undefined;
    const { logs, leadership, state, sessionState, restorer } = this.parts;
    try {
      // Watching first, then restoring: a record another process stores in between is in the
      // restored state or reaches the watch (restore overwrites what the watch folded in).
      stopFollowing = await followSharedLog(logs, leadership, state, sessionState);
      // Before the first check: a daily task that ran today must not run again after a restart.
      await restorer.restore();
      const shutdownWhen = this.registrar.beforeRun();
      if (options.handleSignals ?? true)
        stopSignals = watchSignals(() => {
          void this.shutdown();
        });
      await this.startScheduler(shutdownWhen);
    } finally {
      stopFollowing?.();
      stopSignals?.();
      stopWatching?.();
      await this.release(finished);
    }
  }

  /** See `App.shutdown`. */
  shutdown(): Promise<void> {
    // Between run() and its scheduler's start (the log restores first), stopping the scheduler
    // would be undone by that start: cancel the start instead and wait for run() to return.
    if (this.isRunning && !this.parts.scheduler.isRunning) {
      this.stopBeforeStart = true;
      return this.runFinished;
    }
    return this.parts.scheduler.shutdown();
  }

  /** Uncaught errors become `uncaughtError` events, unless `config.uncaughtErrors` is `'exit'`. */
  private watchErrors(): (() => void) | undefined {
    const { config, subject, log, clock } = this.parts;
    if (config.uncaughtErrors === 'exit') return undefined;
    return watchUncaughtErrors((error, origin) => {
      // Unheard, it would vanish: Node would at least have printed it.
      if (!subject.observed)
        log.logger.error(`Apogee: ${origin}, the scheduler keeps running: ${errorText(error)}`, {
          origin,
          err: error,
        });
      subject.next({ type: 'uncaughtError', at: new Date(clock.now()), error, origin });
    });
  }

  /** Opens the executor and the leadership and runs the scheduler, unless a shutdown came first. */
  private async startScheduler(shutdownWhen: Condition | undefined): Promise<void> {
    const { executor, leadership, restorer, scheduler } = this.parts;
    // A queue's worker takes jobs on every instance, leader or not, while the app runs.
    if (!this.stopBeforeStart) await executor.open();
    if (!this.stopBeforeStart) {
      await leadership.open(restorer, true);
      await scheduler.start(shutdownWhen);
    } else await executor.close();
  }

  /** The end of a `run()`: the leadership and the log given back, `finished` settled. */
  private async release(finished: () => void): Promise<void> {
    const { leadership, output, logs } = this.parts;
    // What restore() took (SqliteRunLog's ownership of its file) is given back, so another
    // process can run the app now; the next run() restores again.
    try {
      await leadership.close();
      // The last lines runs wrote are stored before the log is given up.
      await output.flushed();
      await logs.release?.();
    } finally {
      this.isRunning = false;
      finished();
    }
  }
}
