import { SqliteRunLogError } from './SqliteRunLogError';

/**
 * Another running app owns the SQLite file: two schedulers on one file would both run every task
 * and mark each other's live runs as crashed. Names the file and the owner's process.
 */
export class SqliteRunLogInUseError extends SqliteRunLogError {
  constructor(
    path: string,
    /** The process id of the app that owns the file. */
    readonly ownerPid: number,
    /** The host name that process runs on. */
    readonly ownerHost: string,
    since: Date,
    renewed: Date,
    /** Whether the owner is another app of this same process. */
    readonly inThisProcess = false,
  ) {
    super(
      path,
      inThisProcess
        ? `it is owned by another running app in this process (process ${ownerPid}, owner since ${since.toISOString()})`
        : `it is owned by another running app (process ${ownerPid} on host "${ownerHost}", owner since ${since.toISOString()}, last renewed ${renewed.toISOString()})`,
      (inThisProcess
        ? 'Shut that app down (await app.shutdown(), which releases the file) before running this one, or give this app another file. '
        : `Stop that app (pid ${ownerPid}) before starting this one, or give this app another file. `) +
        'One SQLite file serves one running app; many instances share one schedule through a shared ' +
        'store such as Redis (@apogee/redis). Reading the file (records()) needs no ownership.',
      { ownerPid, ownerHost },
    );
  }
}
