import { cursorOf } from '@apogee/core';
import type { RunLog, RunQuery } from '@apogee/core';

/** A record as the paging checks compare it: which run, which action. */
const idOf = (r: { runId: string; action: string }): string => `${r.runId}:${r.action}`;

/**
 * Reads `query`'s matches back to the oldest in pages of `size`, once by `offset` and once by
 * `before` cursors, and expects both walks (and a read of everything) to return the same records in
 * the same order. Returns how many records matched, so a caller can check the walk was not empty.
 */
export async function expectCursorPagingMatchesOffsets(
  log: RunLog,
  query: RunQuery,
  size: number,
): Promise<number> {
  const all = (await log.records(query)).map(idOf);
  const byOffset: string[] = [];
  for (let offset = 0; ; offset += size) {
    const page = await log.records({ ...query, limit: size, offset });
    byOffset.unshift(...page.map(idOf));
    if (page.length < size) break;
  }
  const byCursor: string[] = [];
  let page = await log.records({ ...query, limit: size });
  while (page.length > 0) {
    byCursor.unshift(...page.map(idOf));
    page = await log.records({ ...query, limit: size, before: cursorOf(page[0] as (typeof page)[0]) });
  }
  expect(byCursor).toEqual(byOffset);
  expect(byCursor).toEqual(all);
  return all.length;
}
