import { RecordRefusedError } from '../../errors/RecordRefusedError';
import type { RunLog } from '../../log/RunLog';
import type { RunRecord } from '../../log/RunRecord';
import type { TaskStateIndex } from '../../log/TaskStateIndex';
import { StoreWarnings } from '../../store/StoreWarnings';
import type { RunRecorder } from './RunRecorder';
import { startOnRecord } from './startOnRecord';

/** Where last return values are kept (the session). */
export interface ReturnStore {
  setReturn(taskName: string, value: unknown): void;
}

/**
 * The default {@link RunRecorder}: the state index first (conditions read it synchronously, in
 * the same pass), then the run log. A log that fails to store a record costs a warning, not the
 * scheduler: the index already holds the state.
 */
export class LogRecorder implements RunRecorder {
  constructor(
    private readonly state: TaskStateIndex,
    private readonly log: RunLog,
    private readonly returns: ReturnStore,
    /** Failed appends, one line per reason per minute: a store down for a while must not flood the output. */
    readonly warnings = new StoreWarnings('the run log'),
  ) {}

  record(record: RunRecord): void {
    this.state.apply(record);
    try {
      const pending = this.log.append(record);
      if (pending !== undefined)
        pending.catch((error: unknown) => {
          this.warn(record, error);
        });
    } catch (error) {
      this.warn(record, error);
    }
  }

  setReturn(taskName: string, value: unknown): void {
    this.returns.setReturn(taskName, value);
  }

  startRecorded(taskName: string, runId: string): Promise<boolean> {
    return startOnRecord(this.log, taskName, runId);
  }

  private warn(record: RunRecord, error: unknown): void {
    // A refused end is the store keeping one end per run (the run was recorded `crash` while this
    // process was silent): said as such, not as a failed write.
    if (error instanceof RecordRefusedError) {
      this.warnings.notice('refused', error.message, 'APOGEE_RECORD_REFUSED');
      return;
    }
    this.warnings.failed('store run records', error, 'The scheduler keeps its state in memory and goes on.', {
      detail: `store a "${record.action}" record of task "${record.taskName}"`,
      code: 'APOGEE_LOG_WRITE_FAILED',
    });
  }
}
