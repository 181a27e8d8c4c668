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
      /** A worker thread or child process ended between runs (after its last run was recorded); it is replaced. */
      readonly type: 'workerExited';
      readonly at: Date;
      readonly execution: 'thread' | 'process';
      /** The task whose run it last ran. */
      readonly taskName: string;
      readonly error: unknown;
    }
  | {
      readonly type: 'conditionFailed';
      readonly taskName?: string;
      readonly at: Date;
      readonly error: unknown;
    };

/** The `type` of a {@link SchedulerEvent}. */
export type SchedulerEventType = SchedulerEvent['type'];
