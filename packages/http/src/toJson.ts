import { Argument } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';

/** Deeper than this, a value is written as `"[too deep]"`: `JSON.stringify` would overflow the stack. */
const MAX_DEPTH = 100;

/**
 * JSON for the API: errors as `{ name, message }`, arguments by their label (a `Private` as
 * `*****`), dates as ISO strings, and anything JSON cannot hold (functions, cycles, bigints, nesting
 * past 100 levels) as a short description instead of a failure. An object met twice (shared task
 * parameters, a return value logged by many runs) is written each time; only an object inside
 * itself is a cycle.
 */
export function toJson(value: unknown): string {
  // The objects from the root down to the one being written. JSON.stringify walks depth first and
  // calls the replacer with the holder as `this`, so whatever sits above the holder is finished.
  const path: object[] = [];
  return JSON.stringify(value, function replacer(this: unknown, _key: string, v: unknown): unknown {
    while (path.length > 0 && path[path.length - 1] !== this) path.pop();
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
    if (typeof v === 'symbol') return v.toString();
    if (typeof v !== 'object' || v === null) return v;
    if (Argument.isArgument(v)) return v.toString();
    if (path.includes(v)) return '[circular]';
    if (path.length >= MAX_DEPTH) return '[too deep]';
    const written = isErrorLike(v)
      ? {
          name: v.name,
          message: errorMessage(v),
          ...((v as { code?: unknown }).code === undefined ? {} : { code: (v as { code?: unknown }).code }),
        }
      : v;
    path.push(written);
    return written;
  });
}

function isErrorLike(v: object): v is Error {
  return (
    v instanceof Error ||
    (typeof (v as { message?: unknown }).message === 'string' &&
      typeof (v as { stack?: unknown }).stack === 'string')
  );
}
