import { errorMessage } from '../errors/errorMessage';
import type { RunRecord } from './RunRecord';

/**
 * A run record as persistent logs store it (`SqliteRunLog` in its columns, the Redis log as
 * JSON): times in ms, the error as its message and stack, the return value and the batch
 * parameters as JSON. Absent fields are left out. A `Private` value prints as `*****` in JSON, so
 * no secret is ever stored.
 */
export interface StoredRecord {
  readonly taskName: string;
  readonly action: RunRecord['action'];
  readonly created: number;
  readonly runId: string;
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly runtime?: number | undefined;
  readonly errorMessage?: string | undefined;
  readonly errorStack?: string | undefined;
  /** JSON of the return value (success records only). */
  readonly returnValue?: string | undefined;
  /**
   * HMAC of the return value, added by a shared log whose app has a `secret` (see `signStored`):
   * without a valid one, a value read back is not passed to `@Return`.
   */
  readonly returnSignature?: string | undefined;
  /** The instant the run was due for, when it started later (`RunRecord.scheduledAt`). */
  readonly scheduledAt?: number | undefined;
  /** JSON of the batch parameters, `Private` values masked. */
  readonly parameters?: string | undefined;
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

/** What a persistent log stores of a record. */
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
  if (record.scheduledAt !== undefined) stored.scheduledAt = record.scheduledAt.getTime();
  // JSON.stringify writes a Private as `*****`: a secret never reaches the store.
  const parameters = toJson(record.parameters);
  if (parameters !== undefined) stored.parameters = parameters;
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
  if (stored.scheduledAt !== undefined) record.scheduledAt = new Date(stored.scheduledAt);
  if (stored.runtime !== undefined) record.runtime = stored.runtime;
  if (stored.errorMessage !== undefined) {
    const error = new Error(stored.errorMessage);
    error.stack = stored.errorStack;
    record.error = error;
  }
  if (stored.returnValue !== undefined) record.returnValue = JSON.parse(stored.returnValue) as unknown;
  if (stored.parameters !== undefined) record.parameters = JSON.parse(stored.parameters) as unknown;
  return record as unknown as RunRecord;
}
