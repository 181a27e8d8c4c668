import type { ApogeeWarning } from '../../app/AppConfig';
import type { RunQuery, RunRecord } from '../../log/RunRecord';

/** What the scheduler reads of past and coming runs besides task states (for backfills). */
export interface RunHistory {
  /** Stored records, as `RunLog.records` answers. */
  records(query: RunQuery): Promise<RunRecord[]>;
  /**
   * Calls `listener` with every record this process learns of from now on: its own runs', and on
   * a replica that does not lead, those the leader stores in a shared log. Returns what stops that.
   */
  listen(listener: (record: RunRecord) => void): () => void;
  /**
   * Records the log keeps per task (the default memory log's `perTask`); absent when it keeps
   * them all. A backfill over more runs than that cannot remember them all.
   */
  readonly recordsPerTask?: number;
  /** Where a warning about a backfill goes (`config.onWarning`). */
  readonly warn?: (warning: ApogeeWarning) => void;
}
