import { Private } from '../params/Private';

const MASK = '*****';
/** Deep enough for any log line's fields; anything deeper is cut, not walked forever. */
const MAX_DEPTH = 8;

/**
 * `fields` of a line of run output as plain JSON data: `Private` values masked, and what JSON
 * cannot hold turned into text (a `Date` into its ISO string, an `Error` into its name and
 * message, a `bigint` or a function into its string form, a cycle into `[Circular]`). A line
 * then crosses from any worker and lands in any run log unchanged.
 */
export function outputFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return walk(fields, 0, new Set()) as Record<string, unknown>;
}

function walk(value: unknown, depth: number, path: Set<object>): unknown {
  if (value instanceof Private) return MASK;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'undefined') return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[function ${value.name === '' ? '(anonymous)' : value.name}]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (path.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  path.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) return [...value].map((v) => walk(v, depth + 1, path));
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) if (v !== undefined) out[String(key)] = walk(v, depth + 1, path);
    return out;
  } finally {
    path.delete(value);
  }
}
