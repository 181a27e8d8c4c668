import { All, Any, Condition, Not } from '../../conditions/Condition';
import { FromParamCondition } from '../../conditions/session/fromParam';
import type { CheckHost } from './CheckContext';

/** What reading a `fromParam(key)` needs: the session parameters. */
export type ParamReader = Pick<CheckHost, 'sessionParameter'>;

/**
 * The condition `fromParam(key)` holds now: the session parameter's `Condition`, or its string
 * parsed. `undefined` when the parameter is absent or does not parse (checking the task reports
 * that; a prediction or an explanation just has nothing to show).
 */
export function heldCondition(condition: FromParamCondition, params: ParamReader): Condition | undefined {
  const found = params.sessionParameter(condition.key);
  if (!found.exists) return undefined;
  if (Condition.isCondition(found.value)) return found.value;
  try {
    return condition.resolve(found.value, new Set(), `fromParam('${condition.key}')`);
  } catch {
    return undefined;
  }
}

/**
 * Whether the next instant `condition` holds follows from time alone, looking into each
 * `fromParam(key)` at the condition it holds now (`Condition.predictable` cannot: the parameter
 * can change, so on its own a `fromParam` counts as unpredictable). A composition is as
 * predictable as its parts; any other condition says so itself.
 */
export function predictableNow(condition: Condition, params: ParamReader): boolean {
  if (condition instanceof FromParamCondition) {
    const held = heldCondition(condition, params);
    return held !== undefined && predictableNow(held, params);
  }
  if (condition instanceof All || condition instanceof Any || condition instanceof Not)
    return condition.children.every((c) => predictableNow(c, params));
  return condition.predictable;
}

/** Visits `condition` and every sub-condition, depth first, a `fromParam` followed by what it holds now. */
export function walkHeld(condition: Condition, params: ParamReader, visit: (c: Condition) => void): void {
  visit(condition);
  const parts =
    condition instanceof FromParamCondition ? [heldCondition(condition, params)] : condition.children;
  for (const part of parts) if (part !== undefined) walkHeld(part, params, visit);
}
