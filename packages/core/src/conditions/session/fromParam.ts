import { ConfigurationError } from '../../errors/ConfigurationError';
import { ConditionSyntaxError, type ConditionSite } from '../../errors/ConditionSyntaxError';
import { MissingParameterError } from '../../errors/MissingParameterError';
import { Condition, type Evaluation, type MaybeEvaluation } from '../Condition';
import type { ConditionContext } from '../ConditionContext';
import { parseCondition } from '../parse/parseCondition';

/** How often a parameter's condition that reads other tasks or the world is checked again. */
export const FROM_PARAM_RECHECK = 1000;
/** Parsed strings kept per condition: the current value and a few earlier ones. */
const KEPT_PARSES = 16;

/**
 * The condition held by the session parameter `key`: a `Condition`, or a condition string
 * parsed with the app's custom conditions. The app checks the value when it starts and on each
 * `app.params(...)` that sets `key` (through `resolve`), so a bad value is an
 * error there and a check never meets one.
 *
 * The parameter's condition is not known when the task is registered, so the scheduler cannot
 * index the tasks it reads: when it depends on more than time, it is checked again at least
 * every {@link FROM_PARAM_RECHECK} ms.
 */
export class FromParamCondition extends Condition {
  /** Condition strings parsed by {@link FromParamCondition.resolve}, by text. */
  private readonly parsed = new Map<string, Condition>();

  constructor(
    /** The session parameter that holds the condition. */
    readonly key: string,
  ) {
    super();
  }

  /** False: the parameter's condition can change at any time. */
  override get predictable(): boolean {
    return false;
  }

  /**
   * @internal The condition `value` stands for; throws `ConditionSyntaxError` for a string that does not
   * parse and `ConfigurationError` for a value that is neither a string nor a condition.
   */
  resolve(
    value: unknown,
    customNames: ReadonlySet<string>,
    usedBy: string,
    site: ConditionSite = {},
  ): Condition {
    if (Condition.isCondition(value)) return value;
    if (typeof value !== 'string')
      throw new ConfigurationError(
        `Session parameter "${this.key}" (read by fromParam('${this.key}') in ${usedBy})`,
        value,
        "a Condition or a condition string such as 'every 10 minutes'",
      );
    let condition = this.parsed.get(value);
    if (condition === undefined) {
      try {
        condition = parseCondition(value, customNames);
      } catch (error) {
        throw error instanceof ConditionSyntaxError ? error.at({ ...site, key: this.key }) : error;
      }
      if (this.parsed.size >= KEPT_PARSES) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(value, condition);
    }
    return condition;
  }

  /** Checks the condition the parameter holds now. */
  evaluate(ctx: ConditionContext): MaybeEvaluation {
    const found = ctx.sessionParameter(this.key);
    if (!found.exists) throw this.missing(ctx.taskName);
    const condition = Condition.isCondition(found.value)
      ? found.value
      : this.resolve(found.value, new Set(), `task "${ctx.taskName ?? ''}"`);
    const result = condition.evaluate(ctx);
    if (condition.predictable) return result;
    const recheck = ctx.now + FROM_PARAM_RECHECK;
    const capped = (r: Evaluation): Evaluation => ({ value: r.value, next: Math.min(r.next, recheck) });
    return result instanceof Promise ? result.then(capped) : capped(result);
  }

  /** @internal The error for a session without `key`, naming the task that reads it. */
  missing(taskName: string | undefined): MissingParameterError {
    return new MissingParameterError(
      this.key,
      { owner: `fromParam('${this.key}')`, index: 0, ...(taskName === undefined ? {} : { taskName }) },
      ['session'],
    );
  }

  /** `fromParam('key')`. */
  toString(): string {
    return `fromParam('${this.key}')`;
  }
}

/**
 * A start (or end) condition taken from the session parameter `key`: a `Condition` or a
 * condition string, read when the app starts and again whenever `app.params` changes it, so a
 * schedule can come from configuration. Absent at start: `MissingParameterError`. A string
 * that does not parse makes that `app.params` call throw `ConditionSyntaxError`, and the task
 * keeps its previous schedule.
 *
 * @example
 * ```ts
 * const app = new App({ params: { reportSchedule: 'daily after 07:00' } });
 * app.task({ name: 'report', start: fromParam('reportSchedule') }, sendReport);
 * app.params({ reportSchedule: 'every 2 hours' }); // from the next check on
 * ```
 */
export function fromParam(key: string): Condition {
  return new FromParamCondition(key);
}
