import { Argument } from './Argument';

/**
 * A constant.
 *
 * @example
 * ```ts
 * app.params({ region: new SimpleArg('eu-north-1') });
 * ```
 */
export class SimpleArg<T = unknown> extends Argument {
  constructor(
    /** The constant every run receives. */
    readonly value: T,
  ) {
    super();
  }
  /** Always `'SimpleArg'`. */
  get label(): string {
    return 'SimpleArg';
  }
  /** Returns the constant. */
  compute(): T {
    return this.value;
  }
}
