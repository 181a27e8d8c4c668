import { cursorOf } from '@apogee/core';
import type { RunLog, RunRecord } from '@apogee/core';
import { yieldToLoop } from './yieldToLoop';

/** Records read from the log in one call of `records()`. */
const PAGE = 100;

/** How a walk of {@link recordsBack} ended. */
export interface RecordsWalk {
  /** Records read. */
  readonly read: number;
  /** The oldest record read, where a further walk would go on from (`before: cursorOf(oldest)`). */
  readonly oldest?: RunRecord;
}

/**
 * Walks one task's records from the newest back, a page at a time, until `visit` returns `false`,
 * the log has no older records, or `budget` records have been read. A log may hold years of a
 * task's history, so readers that want only the latest stretch stop early instead of loading it.
 * Each page after the first is asked for `before` the oldest record of the last one, which a log
 * answers from its index at the cost of the page, however deep the walk (an `offset` would make a
 * store step over everything read so far). Between two pages it yields to the event loop: a log in
 * memory answers at once, and a long walk would otherwise hold the scheduler's timers (and every
 * other request) until it ended.
 */
export async function recordsBack(
  log: RunLog,
  taskName: string,
  budget: number,
  visit: (record: RunRecord) => boolean,
): Promise<RecordsWalk> {
  let read = 0;
  let oldest: RunRecord | undefined;
  while (read < budget) {
    if (oldest !== undefined) await yieldToLoop();
    const limit = Math.min(PAGE, budget - read);
    const page = await log.records({
      taskName,
      limit,
      ...(oldest === undefined ? {} : { before: cursorOf(oldest) }),
    });
    read += page.length;
    oldest = page[0] ?? oldest;
    for (let i = page.length - 1; i >= 0; i--) if (!visit(page[i] as RunRecord)) return { read, oldest };
    if (page.length < limit) break;
  }
  return oldest === undefined ? { read } : { read, oldest };
}
