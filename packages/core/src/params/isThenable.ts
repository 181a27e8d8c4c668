/**
 * Whether a value is awaited as a promise would be (anything with a `then` method): what a
 * provider or a task returned, or a memo entry still being computed.
 */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
