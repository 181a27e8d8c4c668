import { RUN_ACTIONS } from '@apogee/core';
import { isRunAction } from '@apogee/core/internal';
import type { ControlRequest } from './ControlRequest';
import { findRun } from './findRun';
import { HttpProblem } from './HttpProblem';
import { intParam } from './intParam';
import { namedTasks } from './namedTasks';
import { recentRuns } from './recentRuns';
import type { Route } from './Route';

/** Most records a run search reads back in one task's history. */
const RUN_SEARCH_BUDGET = 100_000;

/** `GET /logs?task=&action=&limit=`: run records, oldest first. */
async function logs(request: ControlRequest): Promise<void> {
  const { url } = request;
  const taskName = url.searchParams.get('task') ?? undefined;
  if (taskName !== undefined) request.task(taskName);
  const action = url.searchParams.get('action') ?? undefined;
  if (action !== undefined && !isRunAction(action)) {
    throw new HttpProblem(
      400,
      `Query parameter action must be one of ${RUN_ACTIONS.join(', ')}, got "${action}".`,
    );
  }
  const limit = intParam(url, 'limit', 100, 1, 10_000);
  const records = await request.app.logs.records({
    ...(taskName === undefined ? {} : { taskName }),
    ...(action === undefined ? {} : { action }),
    limit,
  });
  await request.send(200, records);
}

/** `GET /runs?task=&n=`: each named task's last finished runs. */
async function lastRuns(request: ControlRequest): Promise<void> {
  const n = intParam(request.url, 'n', 20, 1, 100);
  const result: Record<string, unknown> = {};
  for (const name of namedTasks(request.app, request.url))
    result[name] = await recentRuns(request.app.logs, name, n, n * 20);
  await request.send(200, result);
}

/** `GET /runs/:runId?task=`: one run in full. */
async function oneRun(request: ControlRequest): Promise<void> {
  const id = request.param('runId');
  const task = request.url.searchParams.get('task');
  if (task === null)
    throw new HttpProblem(
      400,
      `Name the run's task: GET /runs/${id}?task=<name> (a run's records are kept per task).`,
    );
  request.task(task);
  const run = await findRun(request.app.logs, task, id, RUN_SEARCH_BUDGET);
  if (run === undefined)
    throw new HttpProblem(
      404,
      `No run "${id}" in the latest ${String(RUN_SEARCH_BUDGET)} records of task "${task}".`,
    );
  await request.send(200, run);
}

/**
 * `GET /runs/:runId/output`: the run's own output, oldest first (`app.logs.output`); empty for a
 * run that wrote none or is no longer kept. A live run's further lines arrive over `/events` as
 * `taskOutput`.
 */
async function runOutput(request: ControlRequest): Promise<void> {
  await request.send(200, await request.app.logs.output(request.param('runId')));
}

/** The routes of the run log: records, each task's last runs, one run in full and its output. */
export const runRoutes: readonly Route[] = [
  { method: 'GET', path: '/logs', handle: logs },
  { method: 'GET', path: '/runs', handle: lastRuns },
  { method: 'GET', path: '/runs/:runId', handle: oneRun },
  { method: 'GET', path: '/runs/:runId/output', handle: runOutput },
];
