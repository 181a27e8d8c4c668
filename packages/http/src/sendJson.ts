import type { ServerResponse } from 'node:http';
import { yieldToLoop } from './yieldToLoop';
import { toJson } from './toJson';

/**
 * Headers of every JSON answer. Answers carry run data and may carry secrets a task returned, so
 * no cache (the browser's, a proxy's) keeps them, and no browser reads them as anything but JSON.
 */
const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** Pieces of JSON written between two yields to the event loop. */
const SLICE = 512;
/** Arrays and objects this deep or less are written piece by piece; deeper values at once. */
const SLICED_DEPTH = 3;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}

/**
 * `value` as JSON text in pieces, the same text {@link toJson} writes: arrays and plain objects
 * near the top are walked here (10,000 records, a timeline's lanes and cells), each element
 * written by `toJson`, so that no one piece costs much.
 */
function* pieces(value: unknown, depth: number): Generator<string> {
  if (depth < SLICED_DEPTH && Array.isArray(value)) {
    yield '[';
    for (const [i, element] of value.entries()) {
      if (i > 0) yield ',';
      yield* pieces(element, depth + 1);
    }
    yield ']';
  } else if (depth < SLICED_DEPTH && isPlainObject(value)) {
    yield '{';
    let first = true;
    for (const [key, element] of Object.entries(value)) {
      const nested = Array.isArray(element) || isPlainObject(element);
      const text = nested ? undefined : toJson(element);
      // JSON.stringify leaves out a key whose value it cannot write (undefined, ...).
      if (!nested && text === undefined) continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      if (nested) yield* pieces(element, depth + 1);
      else yield text as string;
    }
    yield '}';
  } else {
    // In an array, a value JSON cannot write is null.
    yield toJson(value) ?? 'null';
  }
}

/**
 * Answers `body` as JSON with `status`. A large answer (10,000 records) is written in slices with
 * a yield to the event loop between them, so writing it never holds the scheduler for long; a
 * small one goes out at once, with its length. A response already started (an event stream) is
 * just ended.
 */
export async function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (res.headersSent) {
    res.end();
    return;
  }
  const source = pieces(body, 0);
  let chunk = '';
  for (let n = 0; ; n++) {
    const next = source.next();
    if (next.done === true) break;
    chunk += next.value;
    if (n % SLICE !== SLICE - 1) continue;
    if (!res.headersSent) res.writeHead(status, { ...JSON_HEADERS, ...headers });
    res.write(chunk);
    chunk = '';
    await yieldToLoop();
    // The client left: nothing more to write.
    if (res.destroyed) return;
  }
  if (res.headersSent) {
    res.end(chunk);
    return;
  }
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(chunk), ...headers });
  res.end(chunk);
}
