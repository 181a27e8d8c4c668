import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/**
 * A custom condition registered with `@Cond(name)` or `app.cond`, with bound arguments for its
 * leading parameters. Checked every `poll` (default 1 second) while it matters.
 */
export class CustomCondition extends Condition {
  constructor(
    readonly name: string,
    readonly args: readonly unknown[],
  ) {
    super();
  }
  override get predictable(): boolean {
    return false;
  }
  async evaluate(ctx: ConditionContext): Promise<Evaluation> {
    const value = await ctx.custom(this.name, this.args);
    return { value, next: ctx.now + ctx.customPoll(this.name) };
  }
  toString(): string {
    return this.args.length === 0
      ? this.name
      : `${this.name}(${this.args.map((a) => JSON.stringify(a)).join(', ')})`;
  }
}

/**
 * Refers to a custom condition by name; `args` fill its leading, undecorated parameters.
 *
 * @example
 * ```ts
 * cond('file exists', '/tmp/ready')
 * ```
 */
export function cond(name: string, ...args: unknown[]): Condition {
  return new CustomCondition(name, args);
}
