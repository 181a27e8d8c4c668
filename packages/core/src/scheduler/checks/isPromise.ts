/** Whether a check or a run step went asynchronous (a custom condition, a `main` run). */
export const isPromise = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as Promise<T> | undefined)?.then === 'function';
