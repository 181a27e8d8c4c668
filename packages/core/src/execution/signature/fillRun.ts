import { SignatureMismatchError } from '../../errors/SignatureMismatchError';
import type { RunContext } from '../../params/RunContext';
import type { Signature } from '../../params/Signature';
import type { PreparedRun } from './PreparedRun';

const same = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The one place where a run's executing side fills in what it produces (signal, progress, output,
 * services of its own container, the current task), in this process or in any worker. `signature`
 * is the executing side's own, rebuilt from the task's metadata; `undefined` when that side cannot
 * know it (a function found only by its export name), which works only while nothing is to fill.
 * Throws a `SignatureMismatchError` when the two sides disagree on the parameters.
 */
export function fillRun(
  taskName: string,
  signature: Signature | undefined,
  prepared: PreparedRun,
  run: RunContext,
): unknown[] {
  const args = [...prepared.args];
  if (signature === undefined) {
    if (prepared.executing.length === 0) return args;
    throw new SignatureMismatchError(
      taskName,
      `the worker found the task's function by its export name, but not how its parameters were declared, so it cannot fill parameter #${String(prepared.executing[0])}`,
      'call app.task(...) for it in the module the worker loads (its module option), so the worker learns its inject list',
    );
  }
  if (args.length !== signature.slots.length || !same(signature.executing, prepared.executing)) {
    throw new SignatureMismatchError(
      taskName,
      `the run was prepared for ${String(args.length)} parameters (filled here: ${prepared.executing.join(', ') || 'none'}), but the task here takes ${String(signature.slots.length)} (filled here: ${signature.executing.join(', ') || 'none'})`,
      'run the same version of the code where runs are scheduled and where they execute',
    );
  }
  for (const slot of signature.slots) if (slot.produce !== undefined) args[slot.index] = slot.produce(run);
  return args;
}
