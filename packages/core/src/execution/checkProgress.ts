import { ApogeeError } from '../errors/ApogeeError';
import type { RunProgress } from './LiveRun';

/**
 * A progress report as a run made it, checked: `fraction` a number from 0 to 1, `message` a string
 * or absent. Throws into the task's own code, where the mistake is, naming the task.
 */
export function checkProgress(taskName: string, fraction: unknown, message: unknown): RunProgress {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    const shown =
      typeof fraction === 'number'
        ? String(fraction)
        : `${typeof fraction} ${JSON.stringify(fraction) ?? ''}`.trim();
    throw new ApogeeError(
      'INVALID_PROGRESS',
      `Task "${taskName}" reported progress ${shown}: @Progress() takes a fraction from 0 to 1 (0.5 is half done).\n` +
        `Fix: report done / total, e.g. progress(i / items.length).`,
      { taskName, input: fraction },
    );
  }
  if (message !== undefined && typeof message !== 'string') {
    throw new ApogeeError(
      'INVALID_PROGRESS',
      `Task "${taskName}" reported a progress message of type ${typeof message}: the message must be a string.\n` +
        `Fix: progress(fraction, String(message)).`,
      { taskName, input: message },
    );
  }
  return message === undefined ? { fraction } : { fraction, message };
}
