import { decodeRecord } from '../log/StoredRecord';
import type { RunRecord } from '../log/RunRecord';
import { ShapeMismatch, jsonValue, type Shape } from './Shape';
import { storedRecordTextShape } from './storedShapes';

/** A value read from a store: the checked value, or why it was refused. */
export type Decoded<T> = { readonly value: T } | { readonly problem: string };

/**
 * Checks a value read from a store against its shape. `raw` is the text stored (parsed as JSON
 * here) or a value a client library parsed already (a BullMQ job's data). Never throws: a store
 * holds whatever anyone with access wrote, and a bad value must not stop the reader.
 *
 * @example
 * ```ts
 * const read = readStored(taskStateShape, await redis.hget(key, task));
 * if ('problem' in read) warnings.skip(`${key} ${task}`, read.problem);
 * ```
 */
export function readStored<T>(shape: Shape<T>, raw: unknown): Decoded<T> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { problem: 'is not valid JSON' };
    }
  }
  try {
    return { value: shape(value, 'the value') };
  } catch (error) {
    if (error instanceof ShapeMismatch) return { problem: error.message };
    // Only a bug here can throw anything else (even a stack overflow is ruled out by the shapes).
    return { problem: `could not be checked (${String(error)})` };
  }
}

/** A stored run record (JSON of `encodeRecord`), checked and decoded. */
export function readRunRecord(raw: unknown): Decoded<RunRecord> {
  const read = readStored(storedRecordTextShape, raw);
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
