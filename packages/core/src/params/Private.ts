import { inspect } from 'node:util';
import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

const MASK = '*****';

/**
 * A secret: the task receives the real value, but it prints as `*****` in logs, events,
 * errors, `toString()`, `JSON.stringify` and `console.log`.
 *
 * @example
 * ```ts
 * app.params({ password: new Private(process.env.DB_PASSWORD) });
 * ```
 */
export class Private<T = unknown> extends Argument {
  readonly #value: T;
  constructor(value: T) {
    super();
    this.#value = value;
  }
  /** The mask, `*****`. */
  get label(): string {
    return MASK;
  }
  /** The real value. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    return scope.materialize(this.#value);
  }
  /** The mask, `*****`. */
  override toString(): string {
    return MASK;
  }
  /** The mask, `*****`, so `JSON.stringify` never shows the value. */
  toJSON(): string {
    return MASK;
  }
  /** `Private(*****)`, what `console.log` and `util.inspect` show. */
  [inspect.custom](): string {
    return `Private(${MASK})`;
  }
}
