import type { RunRecord } from '@apogee/core';
import { decodeRecord, errorMessage, isRunAction, type StoredRecord } from '@apogee/core/internal';

/**
 * A stored record read back, or `undefined` (with a warning naming `key`) when it is not one:
 * whatever can write to the database must not be able to stop scheduling or fail a request.
 */
export function readRecord(value: unknown, key: string): RunRecord | undefined {
  try {
    if (!isStoredRecord(value)) throw new Error('not a stored run record');
    return decodeRecord(value);
  } catch (error) {
    warnSkipped(key, error);
    return undefined;
  }
}

/** Warns that the value at `key` was skipped, and why. */
export function warnSkipped(key: string, error: unknown): void {
  process.emitWarning(`Apogee: skipped a malformed value at ${key} (${errorMessage(error)}).`, {
    code: 'APOGEE_POSTGRES_MALFORMED',
  });
}

const OPTIONAL_NUMBERS = ['start', 'end', 'runtime', 'scheduledAt'] as const;
const OPTIONAL_STRINGS = ['errorMessage', 'errorStack', 'returnValue', 'parameters'] as const;

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  if (typeof r.taskName !== 'string' || typeof r.runId !== 'string' || !isRunAction(r.action)) return false;
  if (!isTime(r.created)) return false;
  if (OPTIONAL_NUMBERS.some((k) => r[k] !== undefined && !isTime(r[k]))) return false;
  return OPTIONAL_STRINGS.every((k) => r[k] === undefined || typeof r[k] === 'string');
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
}
