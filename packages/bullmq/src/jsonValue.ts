/** How a `Date` travels inside a job's JSON: `{ "$apogee:date": "<ISO instant>" }`. */
const DATE_TAG = '$apogee:date';

/** Where inside a value something JSON cannot hold sits, and what it is. */
export interface NotJson {
  readonly path: string;
  readonly problem: string;
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Sets `key` as an own data property. Assignment (`out[key] = v`) would run the `__proto__`
 * setter for a key named `__proto__` (JSON.parse makes such keys own data, so job arguments and
 * batch parameters may hold one) and set the object's prototype instead.
 */
const setOwn = (out: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
};

const describe = (value: unknown): string => {
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'number') return `the number ${String(value)}, which JSON cannot hold`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return `an instance of ${ctor ?? 'a class'}`;
};

/**
 * `value` as plain JSON data, `Date`s tagged so that {@link fromJsonValue} gives them back; or where
 * it holds something that cannot cross a queue: a BigInt, a function, a symbol, a non-finite
 * number, a class instance, `undefined` inside an array, a cycle. `undefined` as an object's
 * field is dropped, as `JSON.stringify` does.
 */
export function toJsonValue(value: unknown, root: string): { value: unknown } | NotJson {
  const path: object[] = [];
  let bad: NotJson | undefined;
  const walk = (v: unknown, at: string): unknown => {
    if (bad !== undefined) return undefined;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v !== 'object') {
      bad = { path: at, problem: describe(v) };
      return undefined;
    }
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) bad = { path: at, problem: 'an invalid Date' };
      return { [DATE_TAG]: Number.isNaN(v.getTime()) ? null : v.toISOString() };
    }
    if (path.includes(v)) {
      bad = { path: at, problem: 'a cycle (it contains itself)' };
      return undefined;
    }
    path.push(v);
    try {
      if (Array.isArray(v)) {
        return v.map((item: unknown, i) => {
          if (item === undefined && bad === undefined)
            bad = { path: `${at}[${String(i)}]`, problem: 'undefined inside an array (JSON makes it null)' };
          return walk(item, `${at}[${String(i)}]`);
        });
      }
      if (!isPlainObject(v)) {
        bad = { path: at, problem: describe(v) };
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        setOwn(out, key, walk(item, `${at}.${key}`));
      }
      return out;
    } finally {
      path.pop();
    }
  };
  const result = value === undefined ? undefined : walk(value, root);
  return bad ?? { value: result };
}

/** The value {@link toJsonValue} encoded, with its `Date`s back. */
export function fromJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonValue);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === DATE_TAG && typeof record[DATE_TAG] === 'string')
    return new Date(record[DATE_TAG]);
  const out: Record<string, unknown> = {};
  for (const key of keys) setOwn(out, key, fromJsonValue(record[key]));
  return out;
}
