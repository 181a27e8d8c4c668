/** A value that structured clone would reject or change, and where it sits. */
export interface Uncloneable {
  /** From the root, e.g. `config.handlers[2]`. */
  readonly path: string;
  /** What it is, e.g. `a function` or `an instance of class Db (it would arrive without its methods)`. */
  readonly problem: string;
}

// Built-ins structured clone reproduces with their prototype. Everything else that is not a
// plain object or array either throws in postMessage or, worse, arrives as a plain object.
// Checked by name and tag rather than identity: values that came from a worker, a vm context
// or a test sandbox have another realm's prototypes.
const LEAVES = new Set([
  'Date',
  'RegExp',
  'Boolean',
  'Number',
  'String',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);
const ERRORS = new Set([
  'Error',
  'EvalError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'TypeError',
  'URIError',
]);

type Kind = 'plain' | 'array' | 'map' | 'set' | 'error' | 'leaf';

/** How structured clone treats `v`, or `undefined` when it would not reproduce it. */
function kindOf(v: object): Kind | undefined {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === null) return 'plain';
  const name = className(proto);
  const tag = Object.prototype.toString.call(v);
  if (name === 'Object' && Object.getPrototypeOf(proto) === null) return 'plain';
  if (name === 'Array' && Array.isArray(v)) return 'array';
  if (name === 'Map' && tag === '[object Map]') return 'map';
  if (name === 'Set' && tag === '[object Set]') return 'set';
  if (ERRORS.has(name) && tag === '[object Error]') return 'error';
  if (LEAVES.has(name) && tag === `[object ${name}]`) return 'leaf';
  return undefined;
}

const className = (proto: object): string => {
  const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'anonymous class';
};

const member = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * The first part of `value` that cannot cross to a worker thread or child process intact, or
 * `undefined` when all of it can. It walks the value as structured clone would (cycles and
 * shared references included), so a failure names the exact spot instead of postMessage's
 * bare "could not be cloned".
 *
 * @example
 * ```ts
 * findUncloneable({ cb: () => 1 }, 'opts'); // { path: 'opts.cb', problem: 'a function' }
 * ```
 */
export function findUncloneable(value: unknown, root: string): Uncloneable | undefined {
  const seen = new Set<object>();
  // An explicit stack: deeply nested data must not overflow the call stack.
  const stack: [unknown, string][] = [[value, root]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, path] = item;
    if (typeof v === 'function') return { path, problem: 'a function' };
    if (typeof v === 'symbol') return { path, problem: 'a symbol' };
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    switch (kindOf(v)) {
      case 'array':
        for (let i = (v as unknown[]).length - 1; i >= 0; i--)
          stack.push([(v as unknown[])[i], `${path}[${String(i)}]`]);
        break;
      case 'plain':
        for (const key of Object.keys(v).reverse())
          stack.push([(v as Record<string, unknown>)[key], member(path, key)]);
        break;
      case 'map': {
        let i = 0;
        for (const [k, entry] of v as Map<unknown, unknown>) {
          stack.push([k, `${path}.keys()[${String(i)}]`], [entry, `${path}.get(${describeKey(k)})`]);
          i++;
        }
        break;
      }
      case 'set': {
        let i = 0;
        for (const entry of v as Set<unknown>) stack.push([entry, `${path}.values()[${String(i++)}]`]);
        break;
      }
      case 'error': {
        const cause = (v as { cause?: unknown }).cause;
        if (cause !== undefined) stack.push([cause, `${path}.cause`]);
        break;
      }
      case 'leaf':
        break;
      case undefined:
        return { path, problem: classProblem(Object.getPrototypeOf(v) as object) };
    }
  }
  return undefined;
}

function classProblem(proto: object): string {
  const name = className(proto);
  if (name === 'Buffer')
    return 'a Buffer (it would arrive as a plain Uint8Array; pass a Uint8Array, or Buffer.from() it in the task)';
  return `an instance of class ${name} (it would arrive as a plain object without its methods, or not at all)`;
}

function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint') return String(key);
  return 'key';
}
