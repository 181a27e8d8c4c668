import type { DependencyContainer } from 'tsyringe';

/**
 * What argument resolution needs from the session. The session implements it; the params layer
 * never imports the app.
 */
export interface ResolutionHost {
  /** Session-level parameters, `@Param` providers included. */
  readonly sessionParams: ReadonlyMap<string, unknown>;
  /** What `@CurrentSession()` / `SessionRefArg` inject. */
  readonly sessionRef: unknown;
  readonly container: DependencyContainer;
  /** Command-line tokens that `CliArg` searches. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The task object for a name, or `undefined` when there is none. */
  findTask(name: string): unknown;
  /** All task names, for "did you mean" suggestions. */
  taskNames(): Iterable<string>;
  /** Whether a task has a last successful return value, and what it is. */
  hasReturn(task: string): boolean;
  getReturn(task: string): unknown;
}
