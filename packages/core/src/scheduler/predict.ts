import type { TaskStateView } from '../conditions/ConditionContext';
import { CheckContext, type CheckHost } from './CheckContext';
import { isPromise } from './isPromise';
import type { ScheduledTask } from './ScheduledTask';

/** Upper bound on simulated steps, against conditions that never settle. */
const MAX_SIMULATION_STEPS = 10_000;

/**
 * The next `count` instants from `from` on at which the task's start condition holds, assuming
 * each run succeeds at once. Empty when the condition is not predictable (a custom condition,
 * another task, an observable), and for disabled, start-up and shutdown tasks. Reads `host`,
 * changes nothing: the task's own future state is simulated in an overlay.
 */
export function predict(task: ScheduledTask, from: number, count: number, host: CheckHost): number[] {
  const def = task.definition;
  if (task.disabled || def.onStartup || def.onShutdown || !def.start.predictable) return [];
  const out: number[] = [];
  let overlay: TaskStateView = host.state(task.name);
  let t = from;
  for (let step = 0; step < MAX_SIMULATION_STEPS && out.length < count; step++) {
    const result = def.start.evaluate(new CheckContext(host, task, t, overlay));
    if (isPromise(result)) return out;
    if (result.value) {
      if (out.at(-1) === t) break; // true again at the same instant: nothing more to predict
      out.push(t);
      const sequence = {
        ...overlay.sequence,
        run: (overlay.sequence.run ?? 0) + 2,
        success: (overlay.sequence.run ?? 0) + 3,
      };
      overlay = {
        ...overlay,
        status: 'success',
        lastRun: t,
        lastSuccess: t,
        consecutiveFails: 0,
        running: 0,
        sequence,
      };
      continue;
    }
    if (!Number.isFinite(result.next) || result.next <= t) break;
    t = result.next;
  }
  return out;
}
