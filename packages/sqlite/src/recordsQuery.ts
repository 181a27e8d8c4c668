import type { RunQuery } from '@apogee/core';

/** The SQL of one `records()` call. */
export interface RecordsSql {
  readonly sql: string;
  readonly args: (string | number)[];
  /** Whether rows come newest first, to be reversed into the oldest-first order of `records()`. */
  readonly newestFirst: boolean;
}

/**
 * The statement behind `SqliteRunLog.records(query)`. A page is read newest first (`ORDER BY id
 * DESC LIMIT ... OFFSET ...`), backwards through the index that leads with the query's filters
 * (`runs_by_task`, `runs_by_action`, `runs_by_task_action`, or the table itself), so SQLite stops
 * after the page: no sort, no scan of the history. Without a page, it reads everything oldest first.
 * With `below` (see `PageCursors`), the page is the newest matches below that id, the offset
 * already accounted for. With `query.before`, only rows below that record's id, found through
 * `runs_by_run`: a record no longer stored makes the bound NULL, and the page empty.
 */
export function recordsQuery(query: RunQuery, below?: number): RecordsSql {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (query.taskName !== undefined) {
    where.push('task_name = ?');
    args.push(query.taskName);
  }
  if (query.action !== undefined) {
    where.push('action = ?');
    args.push(query.action);
  }
  if (query.before !== undefined) {
    where.push('id < (SELECT id FROM runs WHERE run_id = ? AND action = ? ORDER BY id DESC LIMIT 1)');
    args.push(query.before.runId, query.before.action, query.limit ?? -1, query.offset ?? 0);
    return {
      sql: `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ? OFFSET ?`,
      args,
      newestFirst: true,
    };
  }
  if (below !== undefined) {
    // The page right after one read before: below that page's oldest id, with no offset to step over.
    where.push('id < ?');
    args.push(below, query.limit ?? -1);
    return {
      sql: `SELECT * FROM runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
      args,
      newestFirst: true,
    };
  }
  const filter = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  if (query.limit === undefined && query.offset === undefined) {
    return { sql: `SELECT * FROM runs${filter} ORDER BY id`, args, newestFirst: false };
  }
  // LIMIT -1 is SQLite's "no limit", for an offset alone.
  args.push(query.limit ?? -1, query.offset ?? 0);
  return { sql: `SELECT * FROM runs${filter} ORDER BY id DESC LIMIT ? OFFSET ?`, args, newestFirst: true };
}
