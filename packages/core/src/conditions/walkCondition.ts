import type { Condition } from './Condition';

/** Visits `condition` and every sub-condition, depth first. */
export function walkCondition(condition: Condition, visit: (c: Condition) => void): void {
  visit(condition);
  for (const child of condition.children) walkCondition(child, visit);
}
