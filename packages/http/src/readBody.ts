import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './HttpProblem';

/**
 * Past the limit, the rest of a body is still read (and dropped) up to this many bytes, so the 413
 * reaches the client: closing a socket with unread data makes the kernel reset the connection, and
 * the client would see a reset instead of the answer. A client that sends more is cut off.
 */
const DRAIN_LIMIT = 1024 * 1024;

/** Whether the request carries a body (a positive length, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/** Whether a `Content-Type` names JSON: `application/json`, with parameters such as a charset. */
export function isJsonType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * A body that a framework in front has already read and parsed (Express's `json()`, Nest's default
 * body parser): the stream is spent, and `req.body` holds the value. Written back as JSON text, so
 * it goes through the same checks as a body read here.
 */
function parsedByFramework(req: IncomingMessage): string | undefined {
  const parsed: unknown = (req as { body?: unknown }).body;
  if (!req.readableEnded || parsed === undefined) return undefined;
  if (typeof parsed === 'string') return parsed;
  if (Buffer.isBuffer(parsed)) return parsed.toString('utf8');
  return JSON.stringify(parsed);
}

/**
 * Reads the body as UTF-8, keeping at most `limit` bytes in memory. A larger body, declared or
 * chunked, is read to its end without being kept and then refused with a 413.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const parsed = parsedByFramework(req);
  if (parsed !== undefined) {
    const size = Buffer.byteLength(parsed);
    if (size <= limit) return Promise.resolve(parsed);
    return Promise.reject(
      new HttpProblem(413, `The request body is ${String(size)} bytes; the limit is ${String(limit)} bytes.`),
    );
  }
  const declared = Number(req.headers['content-length']);
  const tooLarge = (size: number, headers: Record<string, string> = {}): HttpProblem =>
    new HttpProblem(
      413,
      `The request body is ${String(size)} bytes or more; the limit is ${String(limit)} bytes.`,
      {},
      headers,
    );
  if (Number.isFinite(declared) && declared > limit + DRAIN_LIMIT)
    return Promise.reject(tooLarge(declared, { connection: 'close' }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length > 0) chunks.length = 0;
      if (size > limit + DRAIN_LIMIT) {
        // Past the drain limit the client is abusive: answer now and close the connection.
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        reject(tooLarge(size, { connection: 'close' }));
      }
    });
    req.on('end', () => {
      if (size > limit) reject(tooLarge(size));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
