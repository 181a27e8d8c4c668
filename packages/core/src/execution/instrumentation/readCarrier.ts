import type { RunContextCarrier } from './Instrumentation';

/**
 * Bounds of a carrier read from a store: W3C `traceparent` is 55 characters and `tracestate` at
 * most 32 members of 256; anything far beyond is not a trace context but someone's payload.
 */
const MAX_FIELDS = 8;
const MAX_VALUE_LENGTH = 8_192;
/** A header-like field name. It starts with a letter, so `__proto__` is never one. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * A run's trace context as it came back from a store (a queue job's data), or `undefined` when
 * it is not one: a plain object of at most {@link MAX_FIELDS} header-like names to strings of
 * bounded length. Anyone who can write to the store can write this, so it is never trusted: a
 * carrier that fails here is dropped (the run goes on without its trace context), never an error,
 * and what its fields say is checked again by the instrumentation that reads them.
 */
export function readCarrier(value: unknown): RunContextCarrier | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const names = Object.keys(value);
  if (names.length > MAX_FIELDS) return undefined;
  const carrier: Record<string, string> = {};
  for (const name of names) {
    const field = (value as Record<string, unknown>)[name];
    if (!FIELD_NAME.test(name) || typeof field !== 'string' || field.length > MAX_VALUE_LENGTH)
      return undefined;
    carrier[name] = field;
  }
  return carrier;
}
