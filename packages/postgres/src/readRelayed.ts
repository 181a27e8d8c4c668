import type { RelayedRequest } from '@apogee/core';
import { warnSkipped } from './readBack';

/** What signs and checks relayed requests (see `postgres({ secret })`). */
export interface Seal {
  sign(body: string): string;
  verify(body: string, signature: unknown): boolean;
}

/**
 * A relayed request as the `requests` table holds it (`{ body, signature }`), validated and its
 * signature checked; `undefined` (with a warning naming `key`) when it is anything else, so a row
 * written by hand can neither run a task with chosen arguments nor stop the leader.
 */
export function readRelayed(value: unknown, key: string, seal: Seal): RelayedRequest | undefined {
  try {
    const row = value as { body?: unknown; signature?: unknown } | null;
    if (typeof row !== 'object' || row === null || typeof row.body !== 'string') throw new Error('no body');
    if (!seal.verify(row.body, row.signature))
      throw new Error('unsigned or wrongly signed: refused (check that every replica has the same secret)');
    const request = JSON.parse(row.body) as unknown;
    if (!isRelayedRequest(request)) throw new Error('not a relayed request');
    return request;
  } catch (error) {
    warnSkipped(key, error);
    return undefined;
  }
}

function isRelayedRequest(value: unknown): value is RelayedRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (typeof r.taskName !== 'string' || r.taskName === '') return false;
  switch (r.kind) {
    case 'run':
      return (
        typeof r.runId === 'string' &&
        r.runId !== '' &&
        typeof r.params === 'object' &&
        r.params !== null &&
        !Array.isArray(r.params)
      );
    case 'terminate':
      return true;
    case 'emission':
      return typeof r.index === 'number' && Number.isInteger(r.index) && r.index >= 0 && 'value' in r;
    default:
      return false;
  }
}
