import { nextRunId } from '../execution/nextRunId';
import type { RunLog } from '../log/RunLog';
import { missedInstants } from '../scheduler/prediction/missedInstants';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { TaskStates } from '../scheduler/task/TaskStates';

/**
 * What the run log brings back for the run policies when the app starts, after `restore()`:
 * each task's stored pause state (it wins over `disabled` in code), then one queued run per
 * missed `cron` instant its `catchup` wants, oldest first, each with its instant as
 * `@ScheduledAt()`. At a takeover, `gaps` holds where each task's failover gap begins (see
 * `takeoverGaps`): every `cron` instant due since then is queued too, whatever `catchup` says,
 * within `catchupWindow`. Only a persistent log (one with `restore()`) has instants to miss; a
 * disabled task catches nothing up.
 */
export async function restorePolicies(
  log: RunLog,
  tasks: readonly ScheduledTask[],
  state: TaskStates,
  now: number,
  timezone: string | undefined,
  gaps?: ReadonlyMap<string, number>,
): Promise<void> {
  const stored = await log.disabledTasks?.();
  for (const task of tasks) {
    const disabled = stored?.get(task.name);
    if (disabled !== undefined) task.restoreDisabled(disabled);
    if (task.disabled || log.restore === undefined) continue;
    const lastRun = state.get(task.name).lastRun;
    const room = task.definition.maxBatches - task.batchCount;
    const missed = missedInstants({ definition: task.definition, lastRun, now, timezone });
    const gapStart = gaps?.get(task.name);
    if (gapStart !== undefined) {
      const gap = missedInstants({
        definition: task.definition,
        catchup: 'all',
        lastRun: gapStart,
        now,
        timezone,
        withOpen: true,
      });
      // Both end with the slot open now, when they have anything: one run each.
      missed.splice(0, missed.length, ...[...new Set([...missed, ...gap])].sort((a, b) => a - b));
    }
    for (const at of room > 0 ? missed.slice(-room) : [])
      task.enqueue({ params: {}, runId: nextRunId(), scheduledAt: at, late: true });
  }
}
