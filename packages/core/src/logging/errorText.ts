import { errorMessage } from '../errors/errorMessage';

/** Causes followed at most: a cycle of causes (`a.cause = b; b.cause = a`) must end. */
const MAX_CAUSES = 8;

/**
 * An error as an operator needs it in one log line: its stack (or its message, when it has none),
 * then each `cause` in turn, indented under "Caused by:".
 *
 * @example
 * ```ts
 * errorText(new Error('sync failed', { cause: new Error('ECONNRESET') }));
 * // 'Error: sync failed\n    at ...\nCaused by: Error: ECONNRESET\n    at ...'
 * ```
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (parts.length <= MAX_CAUSES && !seen.has(current)) {
    seen.add(current);
    parts.push(ownText(current));
    if (typeof current !== 'object' || current === null || !('cause' in current)) break;
    current = current.cause;
  }
  return parts.join('\nCaused by: ');
}

function ownText(error: unknown): string {
  const stack =
    typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  if (typeof stack === 'string' && stack !== '') return stack;
  return errorMessage(error);
}
