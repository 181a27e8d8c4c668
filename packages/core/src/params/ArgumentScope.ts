import type { Argument } from './Argument';

/**
 * What an {@link Argument}'s `compute` is given: the run it computes a value for, and a way to
 * resolve other arguments in the same run (each at most once per run, cycles reported).
 *
 * @example
 * ```ts
 * class Upper extends Argument {
 *   constructor(private readonly inner: Argument) { super(); }
 *   get label() { return `upper(${this.inner.label})`; }
 *   async compute(scope: ArgumentScope) { return String(await scope.resolve(this.inner)).toUpperCase(); }
 * }
 * ```
 */
export interface ArgumentScope {
  /** The task being run or checked; `undefined` for a session-wide check. */
  readonly taskName: string | undefined;
  /** Aborted when the run is terminated. */
  readonly signal: AbortSignal;
  /** The value of another argument in this run. */
  resolve(argument: Argument): Promise<unknown>;
}
