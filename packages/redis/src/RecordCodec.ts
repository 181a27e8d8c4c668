import { errorMessage } from '@apogee/core/internal';
import type { RunRecord } from '@apogee/core';

/**
 * A run record as stored in Redis: times in ms, the error as its message and stack, the return
 * value as JSON. The same shape `SqliteRunLog` stores in its columns, so both logs give the same
 * records back. A `Private` value prints as `*****` in JSON, so no secret is ever stored.
 */
export interface StoredRecord {
  readonly taskName: string;
  readonly action: RunRecord['action'];
  readonly created: number;
  readonly runId: string;
  readonly start?: number;
  readonly end?: number;
  readonly runtime?: number;
  readonly errorMessage?: string;
  readonly errorStack?: string;
  /** JSON of the return value (success records only). */
  readonly returnValue?: string;
}

/** JSON for a value, or `undefined` when it does not survive the trip (functions, cycles, ...). */
export function toJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

export function encodeRecord(record: RunRecord): StoredRecord {
  const stored: Record<string, unknown> = {
    taskName: record.taskName,
    action: record.action,
    created: record.created.getTime(),
    runId: record.runId,
  };
  if (record.start !== undefined) stored.start = record.start.getTime();
  if (record.end !== undefined) stored.end = record.end.getTime();
  if (record.runtime !== undefined) stored.runtime = record.runtime;
  if (record.error !== undefined) {
    stored.errorMessage = errorMessage(record.error);
    const stack: unknown =
      typeof record.error === 'object' && record.error !== null
        ? (record.error as { stack?: unknown }).stack
        : undefined;
    if (typeof stack === 'string') stored.errorStack = stack;
  }
  if (record.action === 'success') {
    const json = toJson(record.returnValue);
    if (json !== undefined) stored.returnValue = json;
  }
  return stored as unknown as StoredRecord;
}

/** The record a stored one stands for: errors come back as `Error`s with their message and stack. */
export function decodeRecord(stored: StoredRecord): RunRecord {
  const record: Record<string, unknown> = {
    taskName: stored.taskName,
    action: stored.action,
    created: new Date(stored.created),
    runId: stored.runId,
  };
  if (stored.start !== undefined) record.start = new Date(stored.start);
  if (stored.end !== undefined) record.end = new Date(stored.end);
  if (stored.runtime !== undefined) record.runtime = stored.runtime;
  if (stored.errorMessage !== undefined) {
    const error = new Error(stored.errorMessage);
    error.stack = stored.errorStack;
    record.error = error;
  }
  if (stored.returnValue !== undefined) record.returnValue = JSON.parse(stored.returnValue) as unknown;
  return record as unknown as RunRecord;
}
