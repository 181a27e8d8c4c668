import type { Route } from './Route';

/** `GET /events`: `app.events` as server-sent events. */
export const eventRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/events',
    handle: (request) => {
      request.context.events.add(request.res);
    },
  },
];
