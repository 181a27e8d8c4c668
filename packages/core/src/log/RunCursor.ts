import type { RunAction } from '../conditions/runActions';
import type { RunRecord } from './RunRecord';

/**
 * A place in a log: the record of run `runId` with action `action` (a run writes one `run` record
 * and one end record, so the pair names one record). Used as {@link RunQuery.before} to read the
 * page written before a record already read, which a log answers from its index instead of
 * stepping over an offset.
 */
export interface RunCursor {
  /** The record's run id. */
  readonly runId: string;
  /** The record's action. */
  readonly action: RunAction;
}

/** The cursor that names `record`: pass it as `before` to read the records written before it. */
export function cursorOf(record: RunRecord): RunCursor {
  return { runId: record.runId, action: record.action };
}
