import type { ResolutionScope } from '../params/ResolutionScope';
import type { Signature } from '../params/Signature';
import { isThenable } from '../util/isThenable';
import { fillRun } from './signature/fillRun';
import { prepareRun } from './signature/prepareRun';
import { callingRun, type CallingRun } from './callingRun';
import { TaskInaction } from './TaskInaction';

/** How a run ended, before it is recorded. */
export type RunOutcome =
  | { readonly action: 'success'; readonly returnValue: unknown }
  | { readonly action: 'fail'; readonly error: unknown }
  | { readonly action: 'inaction'; readonly error: TaskInaction }
  /** The run's worker died under it (a queue worker's process, found by stalled-job detection). */
  | { readonly action: 'crash'; readonly error: unknown };

const NO_ARGS: readonly unknown[] = Object.freeze([]);

const succeeded = (returnValue: unknown): RunOutcome => ({ action: 'success', returnValue });

const failed = (error: unknown): RunOutcome =>
  error instanceof TaskInaction ? { action: 'inaction', error } : { action: 'fail', error };

/** Calls the task; a synchronous result or throw is wrapped without an extra promise hop. */
function call(
  invoke: (args: unknown[]) => unknown,
  args: readonly unknown[],
  run: CallingRun,
): Promise<RunOutcome> {
  let value: unknown;
  try {
    const inRun = (): unknown => callingRun.run(run, () => invoke(args as unknown[]));
    const observation = run.observation;
    value = observation === undefined ? inRun() : observation.enter(inRun);
  } catch (error) {
    return Promise.resolve(failed(error));
  }
  return isThenable(value)
    ? Promise.resolve(value).then(succeeded, failed)
    : Promise.resolve(succeeded(value));
}

/**
 * Prepares a task's run in `scope` and calls it in this event loop (`main` and `async`
 * execution), filling in what the run produces itself from the scheduler's own run. Never
 * rejects: a failure while resolving is a `fail` outcome like any other, so every execution mode
 * records setup failures the same way. Resolves `undefined` when the run was settled (terminated)
 * while its arguments were being resolved.
 */
export function runInProcess(
  signature: Signature,
  invoke: (args: unknown[]) => unknown,
  scope: ResolutionScope,
  run: CallingRun & { readonly settled: boolean },
): Promise<RunOutcome | undefined> {
  // Without parameters there is nothing to wait for: the function starts at once, inside the
  // scheduler's pass, rather than after every other task due at the same instant has launched.
  if (signature.slots.length === 0) return call(invoke, NO_ARGS, run);
  return prepareRun(signature, scope).then((prepared) => {
    if (run.settled) return undefined;
    // Prepared here from this very signature: with nothing to fill, its arguments are the call's
    // (the run context that filling would read is not built).
    if (signature.executing.length === 0) return call(invoke, prepared.args, run);
    let args: unknown[];
    try {
      args = fillRun(scope.taskName ?? signature.owner, signature, prepared, scope.execution);
    } catch (error) {
      return failed(error);
    }
    return call(invoke, args, run);
  }, failed);
}
