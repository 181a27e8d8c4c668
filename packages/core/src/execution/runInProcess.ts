import type { Injection } from '../params/Injection';
import type { ResolutionScope } from '../params/ResolutionScope';
import { TaskInaction } from './TaskInaction';

/** How a run ended, before it is recorded. */
export type RunOutcome =
  | { readonly action: 'success'; readonly returnValue: unknown }
  | { readonly action: 'fail'; readonly error: unknown }
  | { readonly action: 'inaction'; readonly error: TaskInaction };

/**
 * Resolves a task's arguments in `scope` and calls it in this event loop (`main` and `async`
 * execution). Never rejects: a failure while resolving is a `fail` outcome like any other, so
 * every execution mode records setup failures the same way.
 */
export async function runInProcess(
  injections: readonly Injection[],
  owner: string,
  invoke: (args: unknown[]) => unknown,
  scope: ResolutionScope,
  isCancelled: () => boolean,
): Promise<RunOutcome | undefined> {
  try {
    // Without parameters there is nothing to wait for: the function starts at once, inside the
    // scheduler's pass, rather than after every other task due at the same instant has launched.
    const args = injections.length === 0 ? [] : await scope.resolveInjections(injections, owner);
    if (isCancelled()) return undefined;
    const returnValue = await invoke(args);
    return { action: 'success', returnValue };
  } catch (error) {
    if (error instanceof TaskInaction) return { action: 'inaction', error };
    return { action: 'fail', error };
  }
}
