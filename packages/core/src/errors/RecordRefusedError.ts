import type { RunRecord } from '../log/RunRecord';
import { ApogeeError } from './ApogeeError';

/**
 * A run log refused a record because it would give a run a second start or a second end: an
 * end for a run that is not open (it ended already, or was recorded `crash` while the process
 * running it was silent, e.g. paused or cut off past its lease), or a `run` for a run already
 * recorded. The log keeps the first; the refused record is dropped, and nothing else changes.
 */
export class RecordRefusedError extends ApogeeError {
  /** The run the refused record belonged to. */
  readonly runId: string;

  constructor(log: string, record: Pick<RunRecord, 'taskName' | 'action' | 'runId'>) {
    super(
      'RECORD_REFUSED',
      `${log} refused a "${record.action}" record of task "${record.taskName}" for run ${record.runId}: ` +
        (record.action === 'run'
          ? 'that run is already recorded.'
          : 'that run is not open: it has ended already, or was recorded "crash" while its process was silent (paused, or cut off from the store past its lease).') +
        '\nNothing to fix: each run keeps its first start and its first end; this record is dropped.',
      { taskName: record.taskName, input: record.action },
    );
    this.runId = record.runId;
  }
}
