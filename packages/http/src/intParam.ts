import { HttpProblem } from './HttpProblem';

/**
 * Query parameter `name` as a whole number from `min` to `max`; `fallback` when it is absent or
 * empty. Anything else is the caller's mistake: a 400 that names the parameter and the range.
 */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpProblem(
      400,
      `Query parameter ${name} must be a whole number from ${String(min)} to ${String(max)}, got "${raw}".`,
    );
  return n;
}
