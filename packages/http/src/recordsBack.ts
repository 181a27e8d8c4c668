import type { RunLog, RunRecord } from '@apogee/core';

/** Records read from the log in one call of `records()`. */
const PAGE = 1000;

/**
 * Walks one task's records from the newest back, a page at a time, until `visit` returns `false`,
 * the log has no older records, or `budget` records have been read. A log may hold years of a
 * task's history, so readers that want only the latest stretch stop early instead of loading it.
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
    const limit = Math.min(PAGE, budget - read);
    const page = await log.records({ taskName, limit, offset });
    read += page.length;
    for (let i = page.length - 1; i >= 0; i--) if (!visit(page[i] as RunRecord)) return read;
    if (page.length < limit) return read;
  }
  return read;
}
