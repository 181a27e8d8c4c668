import type { RunAction } from '../conditions/ConditionContext';

/**
 * One line of a task's history. A run writes `run` when it starts and one of the other
 * actions when it ends.
 */
export interface RunRecord {
  readonly taskName: string;
  readonly action: RunAction;
  readonly created: Date;
  readonly runId: string;
  readonly start?: Date;
  readonly end?: Date;
  /** Milliseconds from start to end. */
  readonly runtime?: number;
  readonly error?: unknown;
  readonly returnValue?: unknown;
}

/** A filter for {@link RunLog.records}. */
export interface RunQuery {
  readonly taskName?: string;
  readonly action?: RunAction;
}
