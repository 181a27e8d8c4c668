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
  get label(): string {
    return MASK;
  }
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    return scope.materialize(this.#value);
  }
  override toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [inspect.custom](): string {
    return `Private(${MASK})`;
  }
}
