import { Condition, type Evaluation } from './Condition';

class Constant extends Condition {
  private readonly result: Evaluation;
  constructor(readonly value: boolean) {
    super();
    this.result = { value, next: Infinity };
  }
  evaluate(): Evaluation {
    return this.result;
  }
  toString(): string {
    return this.value ? 'true' : 'false';
  }
}

/**
 * Always true.
 *
 * @example
 * ```ts
 * app.task({ name: 'spin', start: always }, () => undefined);
 * ```
 */
export const always: Condition = new Constant(true);

/**
 * Never true: the task runs only when asked to (`task.run()`). The default start condition.
 *
 * @example
 * ```ts
 * app.task({ name: 'manual', start: never }, () => undefined);
 * ```
 */
export const never: Condition = new Constant(false);
