import { errorMessage } from '../../errors/errorMessage';
import type { RunLog } from '../../log/RunLog';
import type { RunRecord } from '../../log/RunRecord';
import type { TaskStateIndex } from '../../log/TaskStateIndex';
import type { RunRecorder } from './RunRecorder';

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
  ) {}

  record(record: RunRecord): void {
    this.state.apply(record);
    try {
      const pending = this.log.append(record);
      if (pending !== undefined)
        pending.catch((error: unknown) => {
          warn(record, error);
        });
    } catch (error) {
      warn(record, error);
    }
  }

  setReturn(taskName: string, value: unknown): void {
    this.returns.setReturn(taskName, value);
  }
}

function warn(record: RunRecord, error: unknown): void {
  process.emitWarning(
    `Apogee: the run log could not store a "${record.action}" record of task "${record.taskName}" ` +
      `(${errorMessage(error)}). The scheduler keeps its state in memory and goes on.`,
    { code: 'APOGEE_LOG_WRITE_FAILED' },
  );
}
