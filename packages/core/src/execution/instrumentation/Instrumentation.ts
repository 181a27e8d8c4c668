import type { QueueMessaging } from '../../app/QueueExecution';
import type { Execution } from '../../metadata/TaskOptions';

/** How a run ended, as an instrumentation is told: the action of its end record. */
export type RunEndAction = 'success' | 'fail' | 'inaction' | 'crash' | 'terminate';

/**
 * A run that has just begun executing, as {@link Instrumentation.runStarted} is told; a `queue`
 * run is told when it is handed to its queue (see {@link RunObserver.begun}).
 */
export interface InstrumentedRunStart {
  /** The task being run. */
  readonly taskName: string;
  /** The run's unique id. */
  readonly runId: string;
  /** Where its code runs. */
  readonly execution: Execution;
  /** The instant it was due for (`@ScheduledAt()`): its start when nothing scheduled it earlier. */
  readonly scheduledAt: Date;
  /**
   * When it began executing (the `start` of its `run` record); for a `queue` run, when it was
   * handed to its queue.
   */
  readonly start: Date;
  /** How late it began: `start - scheduledAt` in ms (0 when it began on time or early). */
  readonly lateness: number;
  /** For a `queue` run: the queue's names, when its executor gives them. */
  readonly queue?: QueueMessaging;
  /** For a `queue` run: the id of its message (its job) in the queue, when its executor gives one. */
  readonly messageId?: string;
}

/** When a `queue` run began executing on a worker, as {@link RunObserver.begun} is told. */
export interface InstrumentedRunBegin {
  /** The `start` of its `run` record: when a worker took its job. */
  readonly start: Date;
  /** How late it began: `start - scheduledAt` in ms (0 when it began on time or early). */
  readonly lateness: number;
}

/** How a run ended, as {@link RunObserver.ended} is told. */
export interface InstrumentedRunEnd {
  /** The action of its end record. */
  readonly action: RunEndAction;
  /** What it failed, crashed, was terminated or inacted with; `undefined` on success. */
  readonly error: unknown;
  /** When its end was recorded. */
  readonly end: Date;
  /** From its start to its end, ms. */
  readonly duration: number;
}

/**
 * What a run's trace context looks like on its way into a worker (a thread, a child process, a
 * queue job): plain strings, so any transport carries it. With OpenTelemetry, the W3C
 * `traceparent` and `tracestate` fields.
 */
export type RunContextCarrier = Readonly<Record<string, string>>;

/**
 * The module a worker imports to run a task inside the context its carrier describes, as
 * {@link Instrumentation.workerModule} names it. It is called for each run whose observer gave a
 * {@link RunObserver.carrier}; it must call `fn` exactly once and return what it returns.
 */
export interface WorkerContextModule {
  /** Calls `fn` once inside the context `carrier` describes and returns what it returns. */
  runInContext<T>(carrier: RunContextCarrier, fn: () => T): T;
}

/** What an instrumentation watches of one run, from its start to its end. */
export interface RunObserver {
  /** The run ended (recorded); called once. */
  ended(end: InstrumentedRunEnd): void;
  /**
   * For a `queue` run, whose observer is made when it is handed to its queue (so that its context
   * travels with its job): a worker began executing it. Called once, before `ended`; a run that
   * ends before a worker took it (terminated in the queue, its job refused) is told at its end, when
   * its `run` record is written. Default: nothing.
   */
  begun?(begin: InstrumentedRunBegin): void;
  /**
   * Calls the run's code when it runs in this process (`main`, `async`), so that it runs inside
   * the observer's context (its span is the active one). Default: called as is.
   */
  enter?<T>(fn: () => T): T;
  /**
   * The context to carry to a thread, process or queue worker that runs the task, where the
   * instrumentation's {@link Instrumentation.workerModule} activates it. Default: none.
   */
  readonly carrier?: RunContextCarrier;
}

/**
 * A seam for tracing and metrics (`@apogee/opentelemetry`, `GET /metrics` of `@apogee/http`):
 * told when each run begins and ends, and given the run's code to call inside its context. An app
 * without one does no work and makes no allocation for it per run.
 *
 * @example
 * ```ts
 * const counting: Instrumentation = {
 *   runStarted: (run) => ({ ended: (end) => console.log(run.taskName, end.action, end.duration) }),
 * };
 * new App({ instrumentation: counting });
 * ```
 */
export interface Instrumentation {
  /**
   * Told once when it is given to an app, with what it may read of that app (whether it leads now,
   * for a leader gauge).
   */
  attach?(app: InstrumentedApp): void;
  /**
   * A run began executing (a `queue` run: is handed to its queue, before its job is added): returns
   * what to tell of its end and how to run its code, or `undefined` to watch nothing more of it. Must not throw; an error it throws is reported as a warning and
   * the run goes on unobserved.
   */
  runStarted(run: InstrumentedRunStart): RunObserver | undefined;
  /**
   * Absolute path (or package specifier) of a module that exports `runInContext` (see
   * {@link WorkerContextModule}). A thread or process worker imports it to run a task inside the
   * carrier its observer gave; without it, worker runs carry no context. A queue worker uses its
   * own app's module (never one named by a job) on the carrier that came with the job.
   */
  readonly workerModule?: string;
}

/** What an {@link Instrumentation} may read of the app it is attached to. */
export interface InstrumentedApp {
  /** Whether the app schedules runs now (see `App.isLeader`). */
  readonly isLeader: boolean;
}
