import type { RunLog, RunRecord } from '@apogee/core';

/** Records read from the log in one call of `records()`. */
const PAGE = 250;

/** Lets timers and I/O run: a macrotask, unlike the microtask a resolved `records()` continues in. */
export const yieldToLoop = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/**
 * Walks one task's records from the newest back, a page at a time, until `visit` returns `false`,
 * the log has no older records, or `budget` records have been read. A log may hold years of a
 * task's history, so readers that want only the latest stretch stop early instead of loading it.
 * Between two pages it yields to the event loop: a log in memory answers at once, and a long walk
 * would otherwise hold the scheduler's timers (and every other request) until it ended.
 * Returns how many records were read.
 */
export async function recordsBack(
  log: RunLog,
  taskName: string,
  budget: number,
  visit: (record: RunRecord) => boolean,
): Promise<number> {
  let read = 0;
  for (let offset = 0; read < budget; offset += PAGE) {
    if (offset > 0) await yieldToLoop();
    const limit = Math.min(PAGE, budget - read);
    const page = await log.records({ taskName, limit, offset });
    read += page.length;
    for (let i = page.length - 1; i >= 0; i--) if (!visit(page[i] as RunRecord)) return read;
    if (page.length < limit) return read;
  }
  return read;
}
