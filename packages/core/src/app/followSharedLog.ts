import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { ReturnStore } from '../scheduler/recording/LogRecorder';
import type { FollowedLeader } from '../scheduler/cluster/FollowedLeader';
import type { Clock } from '../time/Clock';

/**
 * While this process does not lead, folds the records other processes store in a shared log into
 * its task state, so `task.status`, `lastRun` and `app.session.returns` on any replica show what
 * the leader did. A leader needs none of it: it writes those records itself, and it restored the
 * log when it gained the leadership. `followed` notes what a takeover needs of them, received at
 * `clock`'s time. Resolves, once the log delivers every record stored from then
 * on, with what stops it.
 */
export async function followSharedLog(
  log: RunLog,
  leadership: Leadership,
  state: TaskStateIndex,
  returns: ReturnStore,
  followed?: { readonly leader: FollowedLeader; readonly clock: Clock },
): Promise<(() => void) | undefined> {
  return log.watch?.((record) => {
    if (leadership.isLeader) return;
    followed?.leader.note(record, followed.clock.now());
    state.apply(record);
    if (record.action === 'success') returns.setReturn(record.taskName, record.returnValue);
  });
}
