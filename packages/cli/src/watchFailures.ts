import type { App } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';

/**
 * Prints each failed run of `app` as it happens (task, run id, error) to `io.err`: `apogee run`
 * would otherwise be silent even when every task fails. Also a condition that throws, which
 * otherwise only counts as false.
 */
export function watchFailures(app: App, io: { err(line: string): void }): { unsubscribe(): void } {
  return app.events.subscribe((event) => {
    if (event.type === 'taskFailed')
      io.err(`apogee: task ${event.taskName} failed (run ${event.runId}): ${errorMessage(event.error)}`);
    else if (event.type === 'conditionFailed')
      io.err(
        `apogee: a condition${event.taskName === undefined ? '' : ` of task ${event.taskName}`} threw (counted as false): ${errorMessage(event.error)}`,
      );
  });
}
