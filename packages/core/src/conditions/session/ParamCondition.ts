import { Condition, type Evaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';

/**
 * Reads a session parameter: whether it exists, or whether its plain value equals `expected`
 * (Rocketry's `param 'k' exists`, `param 'k' is 'v'` and `env 'v'`, the last reading the
 * session parameter `env`). Arguments are not computed: only plain values compare.
 */
export class ParamCondition extends Condition {
  constructor(
    readonly key: string,
    readonly expected?: string,
  ) {
    super();
  }
  override get predictable(): boolean {
    return false;
  }
  evaluate(ctx: ConditionContext): Evaluation {
    const found = ctx.sessionParameter(this.key);
    const value = found.exists && (this.expected === undefined || String(found.value) === this.expected);
    return { value, next: Infinity };
  }
  toString(): string {
    if (this.expected === undefined) return `param '${this.key}' exists`;
    return this.key === 'env' ? `env '${this.expected}'` : `param '${this.key}' is '${this.expected}'`;
  }
}
