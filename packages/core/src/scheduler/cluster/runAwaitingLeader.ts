import { ApogeeError } from '../../errors/ApogeeError';
import { ScheduledTask } from '../task/ScheduledTask';

/**
 * `task.run(params)` for a caller that can wait (the control API): on a replica that does not
 * lead, it settles once the shared store took the request, and rejects with `QueueFullError` when
 * the store refused it (`maxBatches` runs wait or are on their way to the leader), or with an
 * `ApogeeError` coded `RELAY_FAILED` when the store could not be reached. `task.run()` itself stays
 * synchronous. `bound`, when below the task's `maxBatches`, is what the store refuses beyond (the
 * control API's `maxQueuedBatches`). `task` is a `ScheduledTask` (typed by its name only, so that this entry point does
 * not carry the task's whole public type).
 */
export function runAwaitingLeader(
  task: { readonly name: string },
  params?: Readonly<Record<string, unknown>>,
  bound?: number,
): Promise<string> {
  if (!(task instanceof ScheduledTask))
    throw new ApogeeError(
      'NOT_A_TASK',
      `runAwaitingLeader() was given "${task.name}", which is not a task. Fix: pass what app.session.get(name) returns.`,
    );
  return task.runAwaited(params, bound);
}
