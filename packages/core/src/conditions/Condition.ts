import type { ConditionContext } from './ConditionContext';
import { isThenable } from '../util/isThenable';

const BRAND = Symbol.for('@apogee/core/Condition');

/**
 * The result of checking a condition: its value now, and the earliest instant at which time
 * alone could change it (`Infinity` when only events such as a finished run can). The
 * scheduler sleeps until the earliest such instant instead of polling.
 */
export interface Evaluation {
  /** Whether the condition holds at the instant of the check. */
  readonly value: boolean;
  /** The earliest instant (ms since the epoch) time alone could change `value`; `Infinity` if never. */
  readonly next: number;
}

/** Either an evaluation or a promise of one (only custom conditions are asynchronous). */
export type MaybeEvaluation = Evaluation | Promise<Evaluation>;

// Shared by every leaf: start-up walks each task's conditions several times (dependencies, edges,
// `fromParam` uses, status windows), and a new empty array per leaf and walk added up.
const NONE: readonly Condition[] = Object.freeze([]);
const NO_TASKS: readonly (string | undefined)[] = Object.freeze([]);

/**
 * A statement about time, task state or the world that is true or false at a given moment.
 * Conditions are immutable values: composing them builds new ones.
 *
 * @example
 * ```ts
 * const start = daily.between('08:00', '10:00').and(afterSuccess('fetch'));
 * ```
 */
export abstract class Condition {
  /** Check the condition now. */
  abstract evaluate(ctx: ConditionContext): MaybeEvaluation;

  /** The condition in the string language, e.g. `"daily between 08:00 and 10:00"`. */
  abstract toString(): string;

  /** Sub-conditions, for walking the tree. */
  get children(): readonly Condition[] {
    return NONE;
  }

  /**
   * Tasks whose state this condition reads: a name, or `undefined` for the checked task itself.
   * A finished run of any of them wakes the scheduler to check again.
   */
  get dependsOn(): readonly (string | undefined)[] {
    return NO_TASKS;
  }

  /** True when the next instant it holds follows from time alone (no custom check, no other task). */
  get predictable(): boolean {
    return this.children.every((c) => c.predictable);
  }

  /** Both this and every other condition. */
  and(...others: Condition[]): Condition {
    return all(this, ...others);
  }

  /** This or any other condition. */
  or(...others: Condition[]): Condition {
    return any(this, ...others);
  }

  /** The negation. */
  not(): Condition {
    return not(this);
  }

  /** True for any condition, even one from another copy of the package. */
  static isCondition(value: unknown): value is Condition {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  static {
    Object.defineProperty(Condition.prototype, BRAND, { value: true });
  }
}

/**
 * All or any of several conditions, checked in order and stopping at the first child whose
 * value decides the outcome (`false` for all, `true` for any).
 *
 * The time bound it returns follows from the stopping child: an `all` stopped at a false child
 * cannot turn true before that child does, and an `any` stopped at a true child cannot turn
 * false before it does. Having gone through every child, the soonest change of any of them.
 * That bound is what the scheduler sleeps on.
 */
abstract class Junction extends Condition {
  /** The child value that decides the outcome: `false` for all, `true` for any. */
  protected abstract readonly decisive: boolean;

  constructor(readonly conditions: readonly Condition[]) {
    super();
  }
  override get children(): readonly Condition[] {
    return this.conditions;
  }
  evaluate(ctx: ConditionContext): MaybeEvaluation {
    return this.from(ctx, 0, Infinity);
  }
  private from(ctx: ConditionContext, start: number, soonest: number): MaybeEvaluation {
    let next = soonest;
    for (let i = start; i < this.conditions.length; i++) {
      const result = (this.conditions[i] as Condition).evaluate(ctx);
      if (isThenable(result)) {
        return result.then((r) =>
          r.value === this.decisive ? r : this.from(ctx, i + 1, Math.min(next, r.next)),
        );
      }
      if (result.value === this.decisive) return result;
      next = Math.min(next, result.next);
    }
    return { value: !this.decisive, next };
  }
}

/** True when every sub-condition is (checked in order, stopping at the first false one). */
export class All extends Junction {
  protected readonly decisive = false;
  toString(): string {
    return this.conditions.map((c) => (c instanceof Any ? `(${c.toString()})` : c.toString())).join(' & ');
  }
}

/** True when some sub-condition is (checked in order, stopping at the first true one). */
export class Any extends Junction {
  protected readonly decisive = true;
  toString(): string {
    return this.conditions.map((c) => c.toString()).join(' | ');
  }
}

/** True when its sub-condition is false. */
export class Not extends Condition {
  constructor(readonly condition: Condition) {
    super();
  }
  override get children(): readonly Condition[] {
    return [this.condition];
  }
  evaluate(ctx: ConditionContext): MaybeEvaluation {
    const result = this.condition.evaluate(ctx);
    if (isThenable(result)) return result.then((r) => ({ value: !r.value, next: r.next }));
    return { value: !result.value, next: result.next };
  }
  toString(): string {
    const inner = this.condition.toString();
    return this.condition instanceof All || this.condition instanceof Any ? `~(${inner})` : `~${inner}`;
  }
}

/**
 * True when every condition is. Nested `all`s are flattened.
 *
 * @example
 * ```ts
 * all(timeOfDay.between('08:00', '20:00'), every('10 minutes'))
 * ```
 */
export function all(...conditions: Condition[]): Condition {
  const flat = conditions.flatMap((c) => (c instanceof All ? c.conditions : [c]));
  return flat.length === 1 ? (flat[0] as Condition) : new All(flat);
}

/**
 * True when some condition is. Nested `any`s are flattened.
 *
 * @example
 * ```ts
 * any(afterSuccess('a'), afterSuccess('b'))
 * ```
 */
export function any(...conditions: Condition[]): Condition {
  const flat = conditions.flatMap((c) => (c instanceof Any ? c.conditions : [c]));
  return flat.length === 1 ? (flat[0] as Condition) : new Any(flat);
}

/**
 * The negation; `not(not(a))` is `a`.
 *
 * @example
 * ```ts
 * not(running('backup'))
 * ```
 */
export function not(condition: Condition): Condition {
  return condition instanceof Not ? condition.condition : new Not(condition);
}
