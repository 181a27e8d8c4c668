import type { App } from '@apogee/core';
import { closeNames } from '@apogee/core/internal';
import { findRun } from './findRun';
import { HttpProblem } from './HttpProblem';
import { intParam } from './intParam';
import { recentRuns } from './recentRuns';
import { timeline } from './timeline';

/** The routes the dashboard reads besides the API's own, for the endpoint list at `GET /`. */
export const DASHBOARD_ENDPOINTS = ['GET /timeline', 'GET /runs', 'GET /runs/:runId'];

/** Most tasks one request may name (`task=` repeated). */
const MAX_TASKS = 200;
/** Most records a run search reads back in one task's history. */
const RUN_SEARCH_BUDGET = 100_000;
const HOUR = 3_600_000;
/** Longest timeline window: a week, so a cell is never much coarser than the chart's pixels show. */
const MAX_WINDOW = 7 * 24 * HOUR;

/** A time given as epoch milliseconds or an ISO date. */
function instant(url: URL, name: string, fallback: number): number {
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

/** The tasks `named` (by `task=`, repeated), each known; all tasks when none is named. */
function taskNames(app: App, named: readonly string[]): readonly string[] {
  const all = [...app.session.taskNames()];
  const names = named.length === 0 ? all : named;
  if (names.length > MAX_TASKS)
    throw new HttpProblem(
      400,
      `At most ${String(MAX_TASKS)} tasks per request, got ${String(names.length)}; name the ones you need with task=<name> (repeated).`,
    );
  const known = new Set(all);
  for (const name of names) {
    if (!known.has(name))
      throw new HttpProblem(404, `Unknown task "${name}".`, { closeNames: closeNames(name, all) });
  }
  return names;
}

/**
 * The read-only routes behind the dashboard: `GET /timeline` (runs per task over a window,
 * aggregated when many), `GET /runs` (each named task's last finished runs) and `GET /runs/:runId`
 * (one run in full, with its error's stack). Answers with `send` and returns true when the path is
 * one of them; false leaves the request to the other routes.
 */
export async function dashboardRoutes(
  app: App,
  method: string,
  url: URL,
  parts: readonly string[],
  send: (status: number, body: unknown) => void,
): Promise<boolean> {
  const [head, id, ...rest] = parts;
  if (
    (head !== 'timeline' && head !== 'runs') ||
    rest.length > 0 ||
    (head === 'timeline' && id !== undefined)
  )
    return false;
  if (method !== 'GET')
    throw new HttpProblem(
      405,
      `${method} is not allowed on ${url.pathname}; use GET.`,
      { allow: ['GET'] },
      { allow: 'GET' },
    );
  if (head === 'timeline') {
    const now = Date.now();
    const to = instant(url, 'to', now);
    const from = instant(url, 'from', to - 24 * HOUR);
    if (!(from < to) || to - from > MAX_WINDOW)
      throw new HttpProblem(
        400,
        `The window from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} must be forward and at most 7 days long.`,
      );
    const buckets = intParam(url, 'buckets', 500, 1, 2000);
    send(
      200,
      await timeline(app.logs, taskNames(app, url.searchParams.getAll('task')), { from, to, buckets, now }),
    );
    return true;
  }
  if (id === undefined) {
    const n = intParam(url, 'n', 20, 1, 100);
    const names = taskNames(app, url.searchParams.getAll('task'));
    const result: Record<string, unknown> = {};
    for (const name of names) result[name] = await recentRuns(app.logs, name, n, n * 20);
    send(200, result);
    return true;
  }
  const task = url.searchParams.get('task');
  if (task === null)
    throw new HttpProblem(
      400,
      `Name the run's task: GET /runs/${id}?task=<name> (a run's records are kept per task).`,
    );
  taskNames(app, [task]);
  const run = await findRun(app.logs, task, id, RUN_SEARCH_BUDGET);
  if (run === undefined)
    throw new HttpProblem(
      404,
      `No run "${id}" in the latest ${String(RUN_SEARCH_BUDGET)} records of task "${task}".`,
    );
  send(200, run);
  return true;
}
