/*
 * Small validators for what Apogee reads back from a shared store (Redis, PostgreSQL). Written
 * here rather than taken from zod or valibot because the five shapes are small and flat, and
 * what they need beyond a library's basics is exactly the part we must control: objects are
 * built with own properties only (a `__proto__` key stays data), nesting is bounded without
 * recursion (a 20,000-deep chain must not overflow the stack), and core keeps no runtime
 * dependency for a check that runs only on reads from a store, never on the scheduler's own path.
 */

/** A value of shape `T`, or a {@link ShapeMismatch} naming where it is not. */
export type Shape<T> = (value: unknown, at: string) => T;

/** Where a value read from a store departs from its shape, and how. */
export class ShapeMismatch extends Error {
  constructor(
    readonly at: string,
    readonly problem: string,
  ) {
    super(`${at} ${problem}`);
    this.name = 'ShapeMismatch';
  }
}

const kind = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
};

export const text: Shape<string> = (value, at) => {
  if (typeof value !== 'string') throw new ShapeMismatch(at, `is ${kind(value)}, not a string`);
  return value;
};

export const finite: Shape<number> = (value, at) => {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ShapeMismatch(
      at,
      `is ${typeof value === 'number' ? String(value) : kind(value)}, not a finite number`,
    );
  return value;
};

export const whole: Shape<number> = (value, at) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new ShapeMismatch(at, `is ${JSON.stringify(value) ?? kind(value)}, not a whole number`);
  return value as number;
};

/** One of `values` (compared with `===`). */
export function oneOf<T extends string | number>(values: readonly T[]): Shape<T> {
  return (value, at) => {
    if (!(values as readonly unknown[]).includes(value))
      throw new ShapeMismatch(
        at,
        `is ${JSON.stringify(value) ?? kind(value)}, not one of ${values.join(', ')}`,
      );
    return value as T;
  };
}

/** A plain object (from JSON), or a mismatch. */
export function plainObject(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ShapeMismatch(at, `is ${kind(value)}, not an object`);
  return value as Record<string, unknown>;
}

export type Fields<T> = { readonly [K in keyof T]-?: Shape<T[K]> };

/**
 * An object with these fields; a field whose shape accepts `undefined` may be absent. Unknown
 * fields are dropped (a newer version may add some), and the result is a fresh object with own
 * properties only.
 */
export function object<T>(fields: Fields<T>): Shape<T> {
  const entries = Object.entries<Shape<unknown>>(fields);
  return (value, at) => {
    const source = plainObject(value, at);
    const out: Record<string, unknown> = {};
    for (const [key, shape] of entries) {
      const field = Object.hasOwn(source, key) ? source[key] : undefined;
      const checked = shape(field, `${at}.${key}`);
      if (checked !== undefined) out[key] = checked;
    }
    return out as T;
  };
}

/** `shape`, or absent. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, at) => (value === undefined ? undefined : shape(value, at));
}

export function arrayOf<T>(shape: Shape<T>): Shape<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) throw new ShapeMismatch(at, `is ${kind(value)}, not an array`);
    return value.map((item, i) => shape(item, `${at}[${String(i)}]`));
  };
}

/** An object whose keys are `keys` (others refused) and whose values are `shape`. */
export function recordOf<K extends string, V>(keys: Shape<K>, shape: Shape<V>): Shape<Partial<Record<K, V>>> {
  return (value, at) => {
    const source = plainObject(value, at);
    const out: Partial<Record<K, V>> = {};
    for (const [key, item] of Object.entries(source)) {
      const checked = keys(key, `${at} key`);
      Object.defineProperty(out, checked, {
        value: shape(item, `${at}.${key}`),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
}

/** How deep a JSON value read from a store may nest: far beyond any real argument, far below the stack. */
export const MAX_JSON_DEPTH = 200;

/**
 * Any JSON value nesting at most {@link MAX_JSON_DEPTH} deep, checked without recursion. The
 * value is returned as it is: `JSON.parse` already makes every key (`__proto__` too) own data.
 */
export const jsonValue: Shape<unknown> = (value, at) => {
  // Two parallel stacks rather than one of pairs: this runs for every value of every record read.
  // Said plainly here: the loop below would call it one that "holds missing".
  if (value === undefined) throw new ShapeMismatch(at, 'is missing');
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const item = values.pop();
    const depth = depths.pop() as number;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number' && Number.isFinite(item)) continue;
    if (typeof item !== 'object') throw new ShapeMismatch(at, `holds ${kind(item)}, which is not JSON`);
    if (depth >= MAX_JSON_DEPTH)
      throw new ShapeMismatch(at, `nests deeper than ${String(MAX_JSON_DEPTH)} levels`);
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return value;
};

/** A string holding JSON (a stored return value, batch parameters), checked as {@link jsonValue}. */
export const jsonText: Shape<string> = (value, at) => {
  const raw = text(value, at);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ShapeMismatch(at, 'is not valid JSON');
  }
  jsonValue(parsed, at);
  return raw;
};

/** The building blocks above, for a store's own shapes (`@apogee/redis`'s open runs, say). */
export const shapes = Object.freeze({
  text,
  finite,
  whole,
  oneOf,
  plainObject,
  object,
  optional,
  arrayOf,
  recordOf,
  jsonValue,
  jsonText,
});
