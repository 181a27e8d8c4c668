import type { RunRecord } from '../../log/RunRecord';

/**
 * Where the scheduler writes what happened to runs. The default ({@link LogRecorder}) folds each
 * record into the task-state index that conditions read and appends it to the run log.
 */
export interface RunRecorder {
  /** One record; the state conditions read must reflect it when this returns. */
  record(record: RunRecord): void;
  /** A run succeeded with `value`: what `@Return('taskName')` receives from now on. */
  setReturn(taskName: string, value: unknown): void;
  /**
   * Whether the log holds the `run` record of run `runId` (asked of a run adopted from another
   * process, whose start that process may not have recorded before it stopped); rejects when the
   * log cannot tell. Without it, an adopted run's start counts as recorded.
   */
  startRecorded?(taskName: string, runId: string): Promise<boolean>;
}
