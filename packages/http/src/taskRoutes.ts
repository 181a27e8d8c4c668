import { ApogeeError, QueueFullError } from '@apogee/core';
import { runAwaitingLeader } from '@apogee/core/internal';
import type { ControlRequest } from './ControlRequest';
import { describeTask } from './describeTask';
import { HttpProblem } from './HttpProblem';
import { parseParameters } from './parseParameters';
import type { Route } from './Route';

function queueFull(task: string, waiting: number, maxQueuedBatches: number): HttpProblem {
  return new HttpProblem(
    429,
    `Task "${task}" already has ${String(waiting)} runs waiting (maxQueuedBatches is ${String(maxQueuedBatches)}); try again when some have run.`,
    { batches: waiting },
    { 'retry-after': '1' },
  );
}

/** `POST /tasks/:name/run`: queues a run with the body as its batch parameters. */
async function runTask(request: ControlRequest): Promise<void> {
  const target = request.task(request.param('name'));
  const { maxQueuedBatches } = request.context.limits;
  if (target.batches.length >= maxQueuedBatches)
    throw queueFull(target.name, target.batches.length, maxQueuedBatches);
  const params = parseParameters(await request.body());
  // Other requests may have queued runs while this body arrived.
  if (target.batches.length >= maxQueuedBatches)
    throw queueFull(target.name, target.batches.length, maxQueuedBatches);
  let runId: string;
  try {
    // Awaited: on a replica that does not lead, the store refuses a run beyond the task's
    // maxBatches (counting the leader's queue and the runs on their way to it), as the leader does.
    runId = await runAwaitingLeader(target, params, maxQueuedBatches);
  } catch (error) {
    // On a replica that does not lead, the store could not be reached: nothing was queued.
    if (ApogeeError.is(error) && error.code === 'RELAY_FAILED') throw new HttpProblem(503, error.message);
    // The task's own bound (maxBatches) is below this handler's.
    if (!(error instanceof QueueFullError)) throw error;
    // A follower's store refused it at this handler's bound, which is below the task's.
    if (error.maxBatches === maxQueuedBatches) throw queueFull(target.name, error.waiting, maxQueuedBatches);
    throw new HttpProblem(429, error.message, { batches: error.waiting }, { 'retry-after': '1' });
  }
  await request.send(202, {
    task: target.name,
    runId,
    queued: true,
    parameters: params,
    batches: target.batches.length,
  });
}

/** `POST /tasks/:name/disable` and `/enable`. */
function setDisabled(disabled: boolean): (request: ControlRequest) => Promise<void> {
  return (request) => {
    const target = request.task(request.param('name'));
    target.disabled = disabled;
    return request.send(200, { task: target.name, disabled: target.disabled });
  };
}

/** The routes of the tasks: list, describe, run, terminate, explain, disable and enable. */
export const taskRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/tasks',
    handle: (request) => {
      const { session } = request.app;
      return request.send(
        200,
        session.tasks.map((t) => describeTask(t, session)),
      );
    },
  },
  {
    method: 'GET',
    path: '/tasks/:name',
    handle: (request) =>
      request.send(200, describeTask(request.task(request.param('name')), request.app.session)),
  },
  { method: 'POST', path: '/tasks/:name/run', handle: runTask },
  {
    method: 'POST',
    path: '/tasks/:name/terminate',
    handle: (request) => {
      const target = request.task(request.param('name'));
      const running = target.isRunning;
      target.terminate();
      return request.send(202, { task: target.name, terminated: running });
    },
  },
  {
    method: 'GET',
    path: '/tasks/:name/explain',
    handle: (request) => request.send(200, request.task(request.param('name')).explain()),
  },
  { method: 'POST', path: '/tasks/:name/disable', handle: setDisabled(true) },
  { method: 'POST', path: '/tasks/:name/enable', handle: setDisabled(false) },
];
