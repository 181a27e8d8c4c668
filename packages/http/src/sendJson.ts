import type { ServerResponse } from 'node:http';
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

/** Answers `body` as JSON with `status`; a response already started (an event stream) is just ended. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = toJson(body);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
