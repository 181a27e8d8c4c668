import type { Warning } from '../logging/FoldedWarnings';
import { errorMessage } from '../errors/errorMessage';
import type { RunLog } from '../log/RunLog';

/**
 * Stores a task's pause state in the run log (`RunLog.setDisabled`). A log that fails costs a
 * warning, as a record it cannot store does: the state holds in memory until the process ends.
 */
export function storeDisabled(
  log: RunLog,
  taskName: string,
  disabled: boolean,
  warnings: (warning: Warning) => void,
): void {
  const warn = (error: unknown): void => {
    warnings({
      code: 'APOGEE_LOG_WRITE_FAILED',
      message: () =>
        `Apogee: the run log could not store that task "${taskName}" was ${disabled ? 'disabled' : 'enabled'} ` +
        `(${errorMessage(error)}). The state holds in this process until it ends.`,
    });
  };
  try {
    const pending = log.setDisabled?.(taskName, disabled);
    if (pending !== undefined) pending.catch(warn);
  } catch (error) {
    warn(error);
  }
}
