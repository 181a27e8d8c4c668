import type { OutputLine } from '../../log/OutputLine';
import type { PreparedRun } from '../signature/PreparedRun';
import type { WireError } from './wireError';

/** Where a worker finds a task's code: the declaring module, then a class member or a function. */
export interface TaskTarget {
  /** Absolute path of the module that declares the task. */
  readonly module: string;
  readonly taskName: string;
  /** For a decorated task: the class that holds it... */
  readonly className?: string;
  /** ...and the method (`run` for a class task). */
  readonly member?: string;
  /** For `app.task(...)`: the function's name, tried as a named export. */
  readonly exportName?: string;
}

/** Scheduler to worker. */
export type ToWorker =
  | ({
      readonly type: 'run';
      readonly runId: string;
      readonly target: TaskTarget;
      /** The instrumentation's `workerModule` that enters the run's `carrier`, when it has one. */
      readonly contextModule?: string;
    } & PreparedRun)
  | { readonly type: 'abort'; readonly runId: string; readonly reason: WireError };

/** Worker to scheduler: how a run ended. */
export type RunReport =
  | { readonly type: 'success'; readonly runId: string; readonly returnValue: unknown }
  | { readonly type: 'fail' | 'inaction'; readonly runId: string; readonly error: WireError }
  /**
   * The return value cannot be cloned back: `path` inside it is `problem`. The scheduler raises
   * the `SerializationError`, since an error class does not survive the trip.
   */
  | { readonly type: 'uncloneable'; readonly runId: string; readonly path: string; readonly problem: string };

/** Worker to scheduler: how far a run has come (`@Progress()`), already checked in the worker. */
export interface ProgressReport {
  readonly type: 'progress';
  readonly runId: string;
  readonly fraction: number;
  readonly message?: string;
}

/** Worker to scheduler: a line of a run's own output (`@RunLogger()`). */
export interface OutputReport {
  readonly type: 'output';
  readonly runId: string;
  readonly line: OutputLine;
}

/** What a running run sends back before its end: its progress and its output. */
export type RunUpdate = ProgressReport | OutputReport;

/** Worker to scheduler: a run's report, progress or output, or a child process's uncaught error just before it exits. */
export type FromWorker = RunReport | RunUpdate | { readonly type: 'crash'; readonly error: WireError };
