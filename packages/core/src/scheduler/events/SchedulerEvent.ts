import type { WorkerExit } from '../../errors/WorkerCrashError';

/**
 * What happens in the scheduler, as emitted on `app.events`: a discriminated union on `type`,
 * named in the past tense.
 */
export type SchedulerEvent =
  | { readonly type: 'schedulerStarted'; readonly at: Date }
  | { readonly type: 'schedulerStopped'; readonly at: Date }
  | { readonly type: 'taskStarted'; readonly taskName: string; readonly runId: string; readonly at: Date }
  | {
      readonly type: 'taskSucceeded';
      readonly taskName: string;
      readonly runId: string;
      readonly at: Date;
      readonly returnValue: unknown;
    }
  | {
      readonly type: 'taskFailed';
      readonly taskName: string;
      readonly runId: string;
      readonly at: Date;
      readonly error: unknown;
    }
  | {
      readonly type: 'taskTerminated';
      readonly taskName: string;
      readonly runId: string;
      readonly at: Date;
      readonly reason: unknown;
    }
  | { readonly type: 'taskInacted'; readonly taskName: string; readonly runId: string; readonly at: Date }
  | {
      /** A run reported how far it has come (`@Progress()`). */
      readonly type: 'taskProgress';
      readonly taskName: string;
      readonly runId: string;
      readonly at: Date;
      /** From 0 to 1. */
      readonly fraction: number;
      readonly message?: string;
    }
  | {
      /**
       * An error escaped every task while `app.run()` ran (a throw in a timer a task left behind, a
       * promise nobody awaited) and was reported instead of ending the process (see
       * `AppConfig.uncaughtErrors`).
       */
      readonly type: 'uncaughtError';
      readonly at: Date;
      readonly error: unknown;
      readonly origin: 'uncaughtException' | 'unhandledRejection';
    }
  | {
      /**
       * A worker thread or child process died between runs, after its last run had reported (an
       * error thrown from a timer that run left behind, `process.exit()` in one). Nothing was
       * running there, so no run fails; the next run gets a fresh worker.
       */
      readonly type: 'workerExited';
      readonly at: Date;
      readonly execution: 'thread' | 'process';
      /** The task of the last run it ran, and that run. */
      readonly taskName: string;
      readonly runId: string;
      /** How it ended: exit code or signal, and the error it died of, when it reported one. */
      readonly exit: WorkerExit;
    }
  | {
      /**
       * A due instant of the task did not get a run of its own because one was live (see
       * `TaskOptions.overlap`). `at` is the instant it was due; `reason` is `'running'` (overlap
       * `'skip'`: it passed while the run was live) or `'merged'` (overlap `'queue'`: a run
       * already waited, and this instant merged into it). Emitted once per instant.
       */
      readonly type: 'taskSkipped';
      readonly taskName: string;
      readonly at: Date;
      readonly reason: 'running' | 'merged';
    }
  | {
      /** The task failed `failures` times in a row and was disabled (`TaskOptions.pauseAfterFailures`). */
      readonly type: 'taskPaused';
      readonly taskName: string;
      readonly at: Date;
      readonly failures: number;
    }
  | {
      /**
       * This process became the leader (see `AppOptions.leadership`), after restoring task state
       * from the run log: from now on it checks conditions and starts runs.
       */
      readonly type: 'leadershipAcquired';
      readonly at: Date;
    }
  | {
      /** This process stopped being the leader: it starts no run from now on (live runs go on). */
      readonly type: 'leadershipLost';
      readonly at: Date;
      /** Why, when the leadership said (a lease that could not be renewed in time, say). */
      readonly reason?: string;
    }
  | {
      readonly type: 'conditionFailed';
      readonly taskName?: string;
      readonly at: Date;
      readonly error: unknown;
    };

/** The `type` of a {@link SchedulerEvent}. */
export type SchedulerEventType = SchedulerEvent['type'];
