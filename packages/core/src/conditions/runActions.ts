/**
 * Every action a run record can carry. A run is recorded twice: `run` when it starts, then one
 * of the others with how it ended. The one list that core, the run logs and the control API
 * read, so a new action is added here and nowhere else.
 *
 * @example
 * ```ts
 * import { RUN_ACTIONS } from '@apogee/core';
 * RUN_ACTIONS.includes('success'); // true
 * ```
 */
export const RUN_ACTIONS = ['run', 'success', 'fail', 'terminate', 'inaction', 'crash'] as const;

/** What a run record says happened: `run` opens a run, every other action ends it. */
export type RunAction = (typeof RUN_ACTIONS)[number];

/** True for a value that is one of {@link RUN_ACTIONS}, e.g. an untyped query parameter. */
export function isRunAction(value: unknown): value is RunAction {
  return (RUN_ACTIONS as readonly unknown[]).includes(value);
}

/** True for the actions that close a run: all but `run`. */
export function endsRun(action: RunAction): boolean {
  return action !== 'run';
}

/**
 * True for the actions after which a task no longer counts as failing in a row: every ending
 * but `fail` (a terminated, inactive or crashed run is not a failure of the task's code).
 */
export function resetsFailures(action: RunAction): boolean {
  return action !== 'run' && action !== 'fail';
}
