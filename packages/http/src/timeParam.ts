import { HttpProblem } from './HttpProblem';

/** Query parameter `name` as a time, given as epoch milliseconds or an ISO date; `fallback` when absent or empty. */
export function timeParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n))
    throw new HttpProblem(
      400,
      `Query parameter ${name} must be a time, as epoch milliseconds or an ISO date such as 2026-01-05T08:00:00Z, got "${raw}".`,
    );
  return n;
}
