import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError, type App } from '@apogee/core';
import { backfillRoutes } from './backfillRoutes';
import { errorMessage } from '@apogee/core/internal';
import { ControlAccess } from './ControlAccess';
import { controlLimits, type ControlLimits } from './ControlLimits';
import { ControlRequest, type ControlContext } from './ControlRequest';
import { DashboardAssets } from './DashboardAssets';
import { EventBroadcast } from './EventBroadcast';
import { eventRoutes } from './eventRoutes';
import { HttpProblem } from './HttpProblem';
import { metricsRoute } from './metrics/metricsRoute';
import { RunSeries } from './metrics/RunSeries';
import { MountPath } from './MountPath';
import { HEALTH_PATHS, healthRoutes } from './healthRoutes';
import { hasBody, isJsonType } from './readBody';
import type { Route } from './Route';
import { RouteTable } from './RouteTable';
import { runRoutes } from './runRoutes';
import { sendJson } from './sendJson';
import { taskRoutes } from './taskRoutes';
import { timelineRoutes } from './timelineRoutes';

/** Options of {@link createControlHandler}. */
export interface ControlHandlerOptions extends Partial<ControlLimits> {
  /**
   * Where the API and dashboard live, such as `'/apogee'` (`/apogee/tasks`, `/apogee/dashboard/`);
   * requests outside it go to `next()`, or get a 404 without one. Default: the root.
   */
  readonly path?: string;
  /**
   * When set, every API request must send `Authorization: Bearer <token>`. Without it, only
   * requests made on this machine are served: the connection reached a loopback address and no
   * reverse proxy relayed it (no `Forwarded`, `X-Forwarded-For` or `X-Real-IP` header).
   */
  readonly token?: string;
  /**
   * Other names the server may be reached by (`Host` and `Origin` headers), such as a DNS name or
   * a proxy's: `"control.example.com"` (any port) or `"control.example.com:8443"`. The address a
   * connection arrived on, `localhost` and the machine's name, at that port, are always allowed;
   * any other host gets a 403.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * `'open'`: `GET /healthz` and `GET /readyz` answer without a token (for a load balancer's or
   * Kubernetes' probes, which send none); they tell whether the process runs and leads, and the
   * last store error's message. Default: they follow the token rules like every other route.
   */
  readonly health?: 'open';
  /**
   * Serve `GET /metrics`: the app's run metrics in the Prometheus text format (API §14), counted
   * from when the handler is created, under the same token rules as every other route.
   */
  readonly metrics?: boolean;
}

/**
 * The control API and dashboard as a plain Node request handler, for any server or framework that
 * passes Node's request and response (node:http, Express, Fastify through its middleware, Nest).
 */
export interface ControlHandler {
  /** Answers a request inside the handler's path; calls `next()` for any other (a 404 without `next`). */
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** How many clients are streaming `GET /events` now. */
  readonly eventClients: number;
  /** Ends the event streams; later requests get a 503. The server it is mounted in stays up. */
  close(): Promise<void>;
}

/** The answer for whatever a route threw. */
function answerError(res: ServerResponse, error: unknown): Promise<void> {
  if (error instanceof HttpProblem)
    return sendJson(res, error.status, { error: error.message, ...error.extra }, error.headers);
  return sendJson(res, 500, { error: `The control API failed: ${errorMessage(error)}` });
}

/** Runs `answer`; if even that fails (the socket broke mid-answer), drops the connection. */
function settle(res: ServerResponse, answer: Promise<void>): void {
  answer.catch(() => {
    res.destroy();
  });
}

/** The table of every route and `extra`; `GET /` lists the others. */
function routeTable(extra: readonly Route[]): RouteTable {
  const index: Route = {
    method: 'GET',
    path: '/',
    handle: (request) => request.send(200, { endpoints: table.endpoints().filter((e) => e !== 'GET /') }),
  };
  const table = new RouteTable([
    index,
    ...taskRoutes,
    ...backfillRoutes,
    ...runRoutes,
    ...timelineRoutes,
    ...eventRoutes,
    ...healthRoutes,
    ...extra,
  ]);
  return table;
}

/**
 * The control API of `serveControl` and its dashboard as a request handler to mount in a server
 * of your own, under `options.path`. It applies the same rules as `serveControl`: a `Host` that
 * names the server and no other site's `Origin` (403), the token when one is set and otherwise
 * requests made on this machine only (401), bodies sent as JSON (415) and bounded, and the same
 * answers. The server it is mounted in keeps its own connection limits and timeouts.
 *
 * @example
 * ```ts
 * const handler = createControlHandler(app, { path: '/apogee', token: process.env.APOGEE_TOKEN });
 * createServer(handler).listen(3000); // http://localhost:3000/apogee/
 * ```
 */
export function createControlHandler(app: App, options: ControlHandlerOptions = {}): ControlHandler {
  const mount = new MountPath(options.path);
  const limits = controlLimits(options, 'control handler');
  if (options.health !== undefined && options.health !== 'open')
    throw new ConfigurationError(
      'control handler health',
      options.health,
      "'open' (health checks without a token), or leave it out (they need the token like every route)",
    );
  const access = new ControlAccess(options.token, options.allowedHosts ?? []);
  const events = new EventBroadcast(app, {
    maxClients: limits.maxEventClients,
    bufferLimit: limits.eventBufferLimit,
  });
  const context: ControlContext = { app, limits, events };
  const dashboard = new DashboardAssets(mount.prefix);
  const series = options.metrics === true ? new RunSeries(app) : undefined;
  const stopCounting = series === undefined ? undefined : app.instrument(series);
  const table = routeTable(series === undefined ? [] : [metricsRoute(series)]);
  let closed = false;

  const serve = async (req: IncomingMessage, res: ServerResponse, target: string): Promise<void> => {
    if (closed) throw new HttpProblem(503, 'The control API has been closed.');
    access.checkHost(req);
    // The target starts with "/", so it is all path and query: "//evil.example" stays a path.
    const url = new URL(`http://control${target}`);
    // The page and its files carry no data: served without the token, which the page then asks for.
    if (dashboard.serve(req, res, url.pathname)) return;
    const openHealth = options.health === 'open' && req.method === 'GET' && HEALTH_PATHS.has(url.pathname);
    if (!openHealth) access.checkToken(req);
    if (hasBody(req) && !isJsonType(req.headers['content-type'])) {
      throw new HttpProblem(
        415,
        `Send request bodies as application/json (header "Content-Type: application/json"), not ${req.headers['content-type'] ?? 'without a content type'}.`,
      );
    }
    const { route, params } = table.find(req.method ?? 'GET', url.pathname);
    await route.handle(new ControlRequest(context, req, res, url, params));
  };

  const handler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const raw = req.url ?? '/';
    const target = mount.inside(raw);
    if (target === undefined) {
      if (!raw.startsWith('/') && (next === undefined || mount.insideAbsolute(raw)))
        settle(
          res,
          sendJson(res, 400, {
            error: `The request target must be a path such as /tasks, not "${raw.slice(0, 200)}".`,
          }),
        );
      else if (next !== undefined) next();
      else
        settle(
          res,
          sendJson(res, 404, { error: `No such endpoint: the control API is under ${mount.prefix}/.` }),
        );
      return;
    }
    res.on('error', () => undefined);
    settle(
      res,
      serve(req, res, target).catch((error: unknown) => answerError(res, error)),
    );
  };
  return Object.defineProperties(handler, {
    eventClients: { get: () => events.size },
    close: {
      value: (): Promise<void> => {
        closed = true;
        events.close();
        stopCounting?.();
        return Promise.resolve();
      },
    },
  }) as ControlHandler;
}
