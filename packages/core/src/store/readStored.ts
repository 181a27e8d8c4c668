import { decodeRecord } from '../log/StoredRecord';
import type { RunRecord } from '../log/RunRecord';
import { ShapeMismatch, type Shape } from './Shape';
import { storedRecordShape } from './storedShapes';

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
  const read = readStored(storedRecordShape, raw);
  return 'problem' in read ? read : { value: decodeRecord(read.value) };
}
