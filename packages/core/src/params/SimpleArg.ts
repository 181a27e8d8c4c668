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
  constructor(readonly value: T) {
    super();
  }
  get label(): string {
    return 'SimpleArg';
  }
  compute(): T {
    return this.value;
  }
}
