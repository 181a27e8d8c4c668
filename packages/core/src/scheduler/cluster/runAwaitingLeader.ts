import type { Parameters } from '../../params/levels';
import type { ScheduledTask } from '../task/ScheduledTask';

/**
 * `task.run(params)` for a caller that can wait (the control API): on a replica that does not
 * lead, it settles once the shared store took the request, and rejects with `QueueFullError` when
 * the store refused it (`maxBatches` runs wait or are on their way to the leader), or with an
 * `ApogeeError` coded `RELAY_FAILED` when the store could not be reached. `task.run()` itself stays
 * synchronous.
 */
export function runAwaitingLeader(task: ScheduledTask, params?: Parameters): Promise<string> {
  return task.runAwaited(params);
}
