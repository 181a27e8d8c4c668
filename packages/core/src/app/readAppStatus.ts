import type { RunLog } from '../log/RunLog';
import type { LogRecorder } from '../scheduler/recording/LogRecorder';
import type { Scheduler } from '../scheduler/Scheduler';
import type { StoreFailure } from '../store/StoreFailure';
import type { AppStatus } from './AppStatus';
import type { LeadershipGate } from './LeadershipGate';

/** What `app.status` reads: the loop's pulse, the role, and where store failures are kept. */
export interface AppStatusSources {
  readonly scheduler: Pick<Scheduler, 'lastPassAt'>;
  readonly leadership: Pick<LeadershipGate, 'isLeader' | 'isSingle' | 'since' | 'lastStoreError'>;
  readonly logs: Pick<RunLog, 'lastStoreError'>;
  readonly recorder: Pick<LogRecorder, 'warnings'>;
}

/**
 * How this process is doing, for health checks: whether it runs, its loop's last pass, its
 * role in the cluster and since when, and the last failed operation on the shared store.
 */
export function readAppStatus(running: boolean, sources: AppStatusSources): AppStatus {
  const { scheduler, leadership, logs, recorder } = sources;
  const lastPassAt = scheduler.lastPassAt;
  const failures = [leadership.lastStoreError, logs.lastStoreError, recorder.warnings.lastFailure].filter(
    (f): f is StoreFailure => f !== undefined,
  );
  const lastStoreError = failures.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  return {
    running,
    ...(lastPassAt === undefined ? {} : { lastPassAt: new Date(lastPassAt) }),
    role: leadership.isSingle ? 'single' : leadership.isLeader ? 'leader' : 'standby',
    since: new Date(leadership.since),
    ...(lastStoreError === undefined ? {} : { lastStoreError }),
  };
}
