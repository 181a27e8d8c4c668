import type { ControlRequest } from './ControlRequest';
import { HttpProblem } from './HttpProblem';
import { intParam } from './intParam';
import { namedTasks } from './namedTasks';
import type { Route } from './Route';
import { timeline } from './timeline';
import { timeParam } from './timeParam';

const HOUR = 3_600_000;
/** Longest timeline window: a week, so a cell is never much coarser than the chart's pixels show. */
const MAX_WINDOW = 7 * 24 * HOUR;

/** `GET /timeline?task=&from=&to=&buckets=`: runs per task over a window, aggregated when many. */
async function runTimeline(request: ControlRequest): Promise<void> {
  const { url } = request;
  const now = Date.now();
  const to = timeParam(url, 'to', now);
  const from = timeParam(url, 'from', to - 24 * HOUR);
  if (!(from < to) || to - from > MAX_WINDOW)
    throw new HttpProblem(
      400,
      `The window from ${new Date(from).toISOString()} to ${new Date(to).toISOString()} must be forward and at most 7 days long.`,
    );
  const buckets = intParam(url, 'buckets', 500, 1, 2000);
  const names = namedTasks(request.app, url);
  await request.send(200, await timeline(request.app.logs, names, { from, to, buckets, now }));
}

/** The routes of time: what ran over a window, and what runs next. */
export const timelineRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/upcoming',
    handle: (request) =>
      request.send(200, request.app.session.upcoming(intParam(request.url, 'n', 10, 1, 1000))),
  },
  { method: 'GET', path: '/timeline', handle: runTimeline },
];
