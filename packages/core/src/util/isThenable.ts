/**
 * Whether a value is awaited as a promise would be (anything with a `then` method): what a
 * condition's check, a provider or a task returned, or a memo entry still being computed. The one
 * test the synchronous fast paths (checks, argument resolution, in-process runs) branch on.
 */
export const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';
