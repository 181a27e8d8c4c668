import type { TaskStateIndex } from '../../log/TaskStateIndex';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { FollowedLeader } from './FollowedLeader';

/**
 * At a takeover, for each task whose last start this process saw the old leader store: reads
 * that start and the instant it was due for on this process's clock (the old leader wrote them
 * with its own, which may be off by more than a second), so `cron` and `every` compare them with
 * this process's slots, and returns the due instant as where the task's failover gap begins.
 * The due instants after it are the gap's: the old leader was gone before starting them. A task whose last start this process did not see (it
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
    // The restored start is the newest in the log: the one followed, or one stored after it
    // (then its due instant is unknown here: its start stands for it).
    const due = (lastRun > seen.created ? lastRun : seen.due) + offset;
    state.rebaseLastRun(task.name, lastRun + offset, due);
    gaps.set(task.name, due);
  }
  return gaps;
}
