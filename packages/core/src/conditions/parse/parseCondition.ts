import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import type { Condition } from '../Condition';
import { ConditionParser } from './ConditionParser';

/**
 * Bounds on what the parser accepts. Conditions are written by people: these leave every real one
 * far inside, and keep a hostile or generated input (a megabyte of text, thousands of nested
 * parentheses: see ConditionParser's nesting bound) from costing seconds or overflowing the
 * stack of the recursive descent.
 */
const MAX_INPUT_LENGTH = 10_000;

/**
 * Parses the condition language: atoms such as `'daily between 08:00 and 10:00'`,
 * `'every 10 seconds'` or `"after task 'fetch'"`, and the names of registered custom
 * conditions, combined with `~` (tightest), `&`, then `|`, and parentheses.
 *
 * A string that does not parse is a {@link ConditionSyntaxError} with the position and the
 * nearest keyword.
 *
 * @example
 * ```ts
 * parseCondition("daily after 08:00 & after task 'fetch'", new Set());
 * ```
 */
export function parseCondition(input: string, customNames: ReadonlySet<string>): Condition {
  if (input.length > MAX_INPUT_LENGTH) {
    const shown = 40;
    throw new ConditionSyntaxError(
      `${input.slice(0, shown)}…`,
      shown,
      `the input is ${String(input.length)} characters long; a condition may have at most ${String(MAX_INPUT_LENGTH)}`,
      'Split it: give parts of it their own tasks (after task ...) or custom conditions (@Cond), and combine those.',
    );
  }
  return new ConditionParser(input, customNames).parse();
}
