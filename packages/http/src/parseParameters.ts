import { errorMessage } from '@apogee/core/internal';
import { HttpProblem } from './HttpProblem';

/** Deepest nesting accepted in batch parameters; far beyond any real parameter, far below a stack overflow. */
export const MAX_PARAMETER_DEPTH = 64;

/** How deep `value` nests, counted without recursion and given up past `limit`. */
function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [current, depth] = item;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Batch parameters from a request body: a JSON object (an empty body is no parameters), nested at
 * most {@link MAX_PARAMETER_DEPTH} levels. Anything else is a 400, before anything is queued.
 */
export function parseParameters(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new HttpProblem(400, `The body is not valid JSON: ${errorMessage(error)}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw new HttpProblem(
      400,
      `The body must be a JSON object of batch parameters ({"key": value}), got ${got}.`,
    );
  }
  if (exceedsDepth(parsed, MAX_PARAMETER_DEPTH)) {
    throw new HttpProblem(
      400,
      `The batch parameters nest deeper than ${String(MAX_PARAMETER_DEPTH)} levels; send flatter values.`,
    );
  }
  return parsed as Record<string, unknown>;
}
