import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { ReturnStore } from '../scheduler/recording/LogRecorder';

/**
 * While this process does not lead, folds the records other processes store in a shared log into
 * its task state, so `task.status`, `lastRun` and `app.session.returns` on any replica show what
 * the leader did. A leader needs none of it: it writes those records itself, and it restored the
 * log when it gained the leadership. Resolves, once the log delivers every record stored from then
 * on, with what stops it.
 */
export async function followSharedLog(
  log: RunLog,
  leadership: Leadership,
  state: TaskStateIndex,
  returns: ReturnStore,
): Promise<(() => void) | undefined> {
  return log.watch?.((record) => {
    if (leadership.isLeader) return;
    state.apply(record);
    if (record.action === 'success') returns.setReturn(record.taskName, record.returnValue);
  });
}
