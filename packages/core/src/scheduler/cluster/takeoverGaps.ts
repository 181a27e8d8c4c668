import type { TaskStateIndex } from '../../log/TaskStateIndex';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { FollowedLeader } from './FollowedLeader';

/**
 * At a takeover, for each task whose last start this process saw the old leader store: reads
 * that start on this process's clock (the old leader wrote it with its own, which may be off by
 * more than a second), so `cron` and `every` compare it with this process's slots, and returns
 * it as where the task's failover gap begins. The due instants after it are the gap's: the old
 * leader was gone before starting them. A task whose last start this process did not see (it
 * started after the old leader died, or the app was down as a whole) has no gap: its `catchup`
 * decides.
 */
export function takeoverGaps(
  tasks: readonly ScheduledTask[],
  state: TaskStateIndex,
  followed: FollowedLeader,
): Map<string, number> {
  const offset = followed.offset();
  const gaps = new Map<string, number>();
  for (const task of tasks) {
    const seen = followed.lastStart(task.name);
    const lastRun = state.get(task.name).lastRun;
    if (seen === undefined || lastRun === undefined || task.disabled) continue;
    // The restored start is the newest in the log: the one followed, or one stored after it.
    const local = Math.max(seen, lastRun) + offset;
    if (offset !== 0) state.rebaseLastRun(task.name, local);
    gaps.set(task.name, local);
  }
  return gaps;
}
