import { decodeRecord, type StoredRecord } from '../log/StoredRecord';
import type { RunRecord } from '../log/RunRecord';
import { ShapeMismatch, jsonValue, type Shape } from './Shape';
import { storedRecordTextShape } from './storedShapes';

/** A value read from a store: the checked value, or why it was refused. */
export type Decoded<T> = { readonly value: T } | { readonly problem: string };

/**
 * Checks a text read from a store against its shape: `raw` is parsed as JSON first when it is a
 * string, and checked as it is otherwise. Never throws: a store holds whatever anyone with access
 * wrote, and a bad value must not stop the reader. For a value the client library parsed already
 * (a PostgreSQL `jsonb` column, a BullMQ job's data) use {@link readStoredValue}: a JSON string
 * there is a string of the wrong type, not text to parse.
 *
 * @example
 * ```ts
 * const read = readStored(taskStateShape, await redis.hget(key, task));
 * if ('problem' in read) warnings.skip(`${key} ${task}`, read.problem);
 * ```
 */
export function readStored<T>(shape: Shape<T>, raw: unknown): Decoded<T> {
  if (typeof raw !== 'string') return readStoredValue(shape, raw);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: 'is not valid JSON' };
  }
  return readStoredValue(shape, value);
}

/**
 * Checks a value a client library parsed already (never parsed again, so the `jsonb` string
 * `"just a string"` is reported as "a string, not an object"). Never throws, like {@link readStored}.
 *
 * @example
 * ```ts
 * const read = readStoredValue(relayEntryShape, row.body);
 * ```
 */
export function readStoredValue<T>(shape: Shape<T>, value: unknown): Decoded<T> {
  try {
    return { value: shape(value, 'the value') };
  } catch (error) {
    if (error instanceof ShapeMismatch) return { problem: error.message };
    // Only a bug here can throw anything else (even a stack overflow is ruled out by the shapes).
    return { problem: `could not be checked (${String(error)})` };
  }
}

/** A stored run record (the JSON text of `encodeRecord`), checked and decoded. */
export function readRunRecord(raw: unknown): Decoded<RunRecord> {
  return decodeRunRecord(readStored(storedRecordTextShape, raw));
}

/** A run record a client library parsed already (a PostgreSQL `jsonb` row), checked and decoded. */
export function readRunRecordValue(value: unknown): Decoded<RunRecord> {
  return decodeRunRecord(readStoredValue(storedRecordTextShape, value));
}

function decodeRunRecord(read: Decoded<StoredRecord>): Decoded<RunRecord> {
  if ('problem' in read) return read;
  const { returnValue, parameters, ...plain } = read.value;
  const decoded: Record<string, unknown> = { ...decodeRecord(plain) };
  // Each JSON field parsed once, then checked as a JSON value (bounded depth).
  for (const [key, json] of [
    ['returnValue', returnValue],
    ['parameters', parameters],
  ] as const) {
    if (json === undefined) continue;
    try {
      decoded[key] = jsonValue(JSON.parse(json), `the value.${key}`);
    } catch (error) {
      return {
        problem: error instanceof ShapeMismatch ? error.message : `the value.${key} is not valid JSON`,
      };
    }
  }
  return { value: decoded as unknown as RunRecord };
}
