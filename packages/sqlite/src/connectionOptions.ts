import { toMilliseconds } from '@apogee/core/internal';
import type { ConnectionOptions } from './Connection';
import type { SqliteRunLogOptions } from './SqliteRunLog';
import { SqliteRunLogError } from './SqliteRunLogError';

/** The options of `new SqliteRunLog(path, options)`, checked, with their defaults filled in. */
export function connectionOptions(path: string, options: SqliteRunLogOptions): ConnectionOptions {
  const clock = options.clock ?? { now: () => Date.now() };
  const maxAge =
    options.retention?.maxAge === undefined
      ? undefined
      : toMilliseconds(options.retention.maxAge, `SqliteRunLog("${path}") retention.maxAge`);
  const perTask = options.retention?.perTask;
  if (perTask !== undefined && (!Number.isInteger(perTask) || perTask < 1)) {
    throw new SqliteRunLogError(
      path,
      'retention.perTask must be a whole number of at least 1',
      'Fix the option.',
      perTask,
    );
  }
  const ownerTimeoutMs = toMilliseconds(
    options.ownerTimeout ?? '1 minute',
    `SqliteRunLog("${path}") ownerTimeout`,
  );
  return {
    busyTimeoutMs: options.busyTimeoutMs ?? 250,
    ownerTimeoutMs,
    limits: { maxAge, perTask },
    clock,
  };
}
