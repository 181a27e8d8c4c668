import { Argument } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';

/**
 * JSON for the API: errors as `{ name, message }`, arguments by their label (a `Private` as
 * `*****`), dates as ISO strings, and anything JSON cannot hold (functions, cycles, bigints) as a
 * short description instead of a failure.
 */
export function toJson(value: unknown): string {
  const seen = new WeakSet();
  return JSON.stringify(value, function replacer(this: unknown, _key: string, v: unknown): unknown {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
    if (typeof v === 'symbol') return v.toString();
    if (typeof v !== 'object' || v === null) return v;
    if (Argument.isArgument(v)) return v.toString();
    if (
      v instanceof Error ||
      (typeof (v as { message?: unknown }).message === 'string' &&
        typeof (v as { stack?: unknown }).stack === 'string')
    ) {
      return {
        name: (v as Error).name,
        message: errorMessage(v),
        ...((v as { code?: unknown }).code === undefined ? {} : { code: (v as { code?: unknown }).code }),
      };
    }
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    return v;
  });
}
