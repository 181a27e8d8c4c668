import type { Execution } from '../../metadata/TaskOptions';
import type { Signature } from '../../params/Signature';
import type { RegistrationProblem } from './RegistrationProblem';

/** The executions whose runs execute outside the scheduler's process. */
const WORKERS: ReadonlySet<Execution> = new Set<Execution>(['thread', 'process', 'queue']);

/**
 * Asks each parameter of a task whether its value can reach a run in `execution`, and returns a
 * problem for each one that cannot (the session, a task object), naming the task, the parameter's
 * position and decorator, why and the fix. Checked at registration, so that no run fails for it.
 */
export function checkCrossing(
  task: { readonly name: string; readonly owner: string },
  signature: Signature,
  execution: Execution,
  /** The execution came from `config.execution`, not the task's own options. */
  fromConfig: boolean,
): RegistrationProblem[] {
  if (!WORKERS.has(execution)) return [];
  const where = `Task "${task.name}" (${task.owner}, execution '${execution}'${fromConfig ? ' from config.execution' : ''})`;
  const problems: RegistrationProblem[] = [];
  for (const slot of signature.slots) {
    const why = slot.placement.inProcessOnly;
    if (why === undefined) continue;
    problems.push({
      kind: 'usage',
      message: `${where} takes ${slot.injection.decorator}, which cannot cross to a worker (parameter #${String(slot.index)}): ${why}`,
    });
  }
  return problems;
}
