import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, QueueFullError, RUN_ACTIONS, type App, type ScheduledTask } from '@apogee/core';
import { closeNames, errorMessage, isRunAction } from '@apogee/core/internal';
import { DashboardAssets } from './DashboardAssets';
import { DASHBOARD_ENDPOINTS, dashboardRoutes } from './dashboardRoutes';
import { describeTask } from './describeTask';
import { EventBroadcast } from './EventBroadcast';
import { HostCheck } from './HostCheck';
import { HttpProblem } from './HttpProblem';
import { intParam } from './intParam';
import { parseParameters } from './parseParameters';
import { hasBody, isJsonType, readBody } from './readBody';
import { toJson } from './toJson';

/** Options of {@link serveControl}. */
export interface ControlOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1`; anything but loopback requires `token`. */
  readonly host?: string;
  /** When set, every request must send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /**
   * Other names the server may be reached by (`Host` and `Origin` headers), such as a DNS name or
   * a proxy's: `"control.example.com"` (any port) or `"control.example.com:8443"`. The bound
   * address and `localhost` at the bound port are always allowed; any other host gets a 403.
   */
  readonly allowedHosts?: readonly string[];
  /** Largest accepted request body, in bytes. Default 64 KiB. */
  readonly bodyLimit?: number;
  /** Most runs a task may have waiting before `POST /tasks/:name/run` answers 429. Default 100. */
  readonly maxQueuedBatches?: number;
  /** Most `GET /events` streams at once; one more gets a 503. Default 32. */
  readonly maxEventClients?: number;
  /** Most bytes an event stream may hold for a client that does not read; past it, it is disconnected. Default 1 MiB. */
  readonly eventBufferLimit?: number;
}

/** A running control server. */
export interface ControlServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** How many clients are streaming `GET /events` now. */
  readonly eventClients: number;
  /** Stops accepting requests, ends event streams and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = toJson(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

type CountOption = 'bodyLimit' | 'maxQueuedBatches' | 'maxEventClients' | 'eventBufferLimit';

/** A limit from the options: a whole number, 0 or more (0 refuses every body, run or stream). */
function count(options: ControlOptions, name: CountOption, fallback: number): number {
  const value = options[name] ?? fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ConfigurationError(`serveControl ${name}`, value, 'a whole number, 0 or more');
  return value;
}

/** The path's segments, decoded; a malformed %-escape is the client's mistake, a 400. */
function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpProblem(400, `The path ${pathname} has a malformed %-escape in "${p}".`);
      }
    });
}

/**
 * Starts an HTTP control API for `app`: `GET /tasks`, `GET /tasks/:name`,
 * `POST /tasks/:name/run` (a JSON object body = batch parameters; answers the run's `runId`),
 * `POST /tasks/:name/terminate`, `GET /tasks/:name/explain` (its start condition as a tree, see
 * `task.explain()`), `POST /tasks/:name/disable` and `/enable`,
 * `GET /logs?task=&action=&limit=`, `GET /upcoming?n=` and `GET /events` (server-sent events).
 * A browser opening `/` gets the dashboard, a page that shows and drives all of this with the same
 * token (see `GET /timeline`, `GET /runs` for what it reads besides).
 * It binds to 127.0.0.1 unless told otherwise, and then requires a token. It serves only requests
 * whose `Host` names it and that come from no other site's page (`Origin`), with bodies sent as
 * `application/json`. Whatever it receives, it answers with a status and a reason, holds bounded
 * memory for each request, queue and event stream, and never stops the scheduler.
 *
 * @example
 * ```ts
 * const control = await serveControl(app, { port: 7070 });
 * console.log(`control API on ${control.url}`);
 * ```
 */
export async function serveControl(app: App, options: ControlOptions): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  const bodyLimit = count(options, 'bodyLimit', 64 * 1024);
  const maxQueuedBatches = count(options, 'maxQueuedBatches', 100);
  const maxEventClients = count(options, 'maxEventClients', 32);
  const eventBufferLimit = count(options, 'eventBufferLimit', 1024 * 1024);
  if (!LOOPBACK.test(host) && (options.token === undefined || options.token === '')) {
    throw new ConfigurationError(
      'serveControl host',
      host,
      'a loopback address (127.0.0.1, localhost, ::1), or a token: binding elsewhere without one would let anyone on the network run your tasks',
    );
  }
  const expected = options.token === undefined ? undefined : digest(options.token);
  const events = new EventBroadcast(app, { maxClients: maxEventClients, bufferLimit: eventBufferLimit });
  // Built at the first request: the bound port is part of the names the server answers to.
  let hosts: HostCheck | undefined;
  const dashboard = new DashboardAssets();

  const task = (name: string): ScheduledTask => {
    const found = app.session.findTask(name);
    if (found === undefined) {
      throw new HttpProblem(404, `Unknown task "${name}".`, {
        closeNames: closeNames(name, app.session.taskNames()),
      });
    }
    return found;
  };

  const authorized = (req: IncomingMessage): boolean => {
    if (expected === undefined) return true;
    // The scheme is case-insensitive (RFC 9110); the token is not.
    const given = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    // Compare digests: equal length, constant time, and the token's length does not leak.
    return timingSafeEqual(digest(given), expected);
  };

  const queueFull = (target: ScheduledTask): HttpProblem =>
    new HttpProblem(
      429,
      `Task "${target.name}" already has ${String(target.batches.length)} runs waiting (serveControl's maxQueuedBatches is ${String(maxQueuedBatches)}); try again when some have run.`,
      { batches: target.batches.length },
      { 'retry-after': '1' },
    );

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    hosts ??= new HostCheck(server.address() as AddressInfo, host, options.allowedHosts ?? []);
    hosts.check(req.headers.host, req.headers.origin);
    // The page and its files carry no data: served without the token, which the page then asks for.
    if (dashboard.serve(req, res, new URL(req.url ?? '/', 'http://control').pathname)) return;
    if (!authorized(req)) {
      throw new HttpProblem(
        401,
        'Missing or wrong token: send "Authorization: Bearer <token>".',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    }
    if (hasBody(req) && !isJsonType(req.headers['content-type'])) {
      throw new HttpProblem(
        415,
        `Send request bodies as application/json (header "Content-Type: application/json"), not ${req.headers['content-type'] ?? 'without a content type'}.`,
      );
    }
    const url = new URL(req.url ?? '/', 'http://control');
    const parts = pathSegments(url.pathname);
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]): void => {
      if (!methods.includes(method))
        throw new HttpProblem(
          405,
          `${method} is not allowed on ${url.pathname}; use ${methods.join(' or ')}.`,
          { allow: methods },
          { allow: methods.join(', ') },
        );
    };

    if (parts.length === 0) {
      allow('GET');
      send(res, 200, {
        endpoints: [
          'GET /tasks',
          'GET /tasks/:name',
          'POST /tasks/:name/run',
          'POST /tasks/:name/terminate',
          'GET /tasks/:name/explain',
          'POST /tasks/:name/disable',
          'POST /tasks/:name/enable',
          'GET /logs',
          'GET /upcoming',
          'GET /events',
          ...DASHBOARD_ENDPOINTS,
        ],
      });
      return;
    }
    if (
      await dashboardRoutes(app, method, url, parts, (status, body) => {
        send(res, status, body);
      })
    )
      return;
    const [head, name, action, ...rest] = parts;
    if (head === 'tasks' && rest.length === 0) {
      if (name === undefined) {
        allow('GET');
        send(
          res,
          200,
          app.session.tasks.map((t) => describeTask(t, app.session)),
        );
        return;
      }
      if (action === undefined) {
        allow('GET');
        send(res, 200, describeTask(task(name), app.session));
        return;
      }
      if (action === 'run') {
        allow('POST');
        const target = task(name);
        if (target.batches.length >= maxQueuedBatches) throw queueFull(target);
        const params = parseParameters(await readBody(req, bodyLimit));
        // Other requests may have queued runs while this body arrived.
        if (target.batches.length >= maxQueuedBatches) throw queueFull(target);
        let runId: string;
        try {
          runId = target.run(params);
        } catch (error) {
          // The task's own bound (maxBatches) is below this server's.
          if (!(error instanceof QueueFullError)) throw error;
          throw new HttpProblem(429, error.message, { batches: error.waiting }, { 'retry-after': '1' });
        }
        send(res, 202, {
          task: target.name,
          runId,
          queued: true,
          parameters: params,
          batches: target.batches.length,
        });
        return;
      }
      if (action === 'terminate') {
        allow('POST');
        const target = task(name);
        const running = target.isRunning;
        target.terminate();
        send(res, 202, { task: target.name, terminated: running });
        return;
      }
      if (action === 'explain') {
        allow('GET');
        send(res, 200, task(name).explain());
        return;
      }
      if (action === 'disable' || action === 'enable') {
        allow('POST');
        const target = task(name);
        target.disabled = action === 'disable';
        send(res, 200, { task: target.name, disabled: target.disabled });
        return;
      }
    }
    if (head === 'logs' && name === undefined) {
      allow('GET');
      const taskName = url.searchParams.get('task') ?? undefined;
      if (taskName !== undefined) task(taskName);
      const actionName = url.searchParams.get('action') ?? undefined;
      if (actionName !== undefined && !isRunAction(actionName)) {
        throw new HttpProblem(
          400,
          `Query parameter action must be one of ${RUN_ACTIONS.join(', ')}, got "${actionName}".`,
        );
      }
      const limit = intParam(url, 'limit', 100, 1, 10_000);
      const records = await app.logs.records({
        ...(taskName === undefined ? {} : { taskName }),
        ...(actionName === undefined ? {} : { action: actionName }),
        limit,
      });
      send(res, 200, records);
      return;
    }
    if (head === 'upcoming' && name === undefined) {
      allow('GET');
      send(res, 200, app.session.upcoming(intParam(url, 'n', 10, 1, 1000)));
      return;
    }
    if (head === 'events' && name === undefined) {
      allow('GET');
      events.add(res);
      return;
    }
    throw new HttpProblem(404, `No such endpoint: ${method} ${url.pathname}. See GET / for the list.`);
  };

  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpProblem)
        send(res, error.status, { error: error.message, ...error.extra }, error.headers);
      else send(res, 500, { error: `The control API failed: ${errorMessage(error)}` });
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${String(address.port)}`,
    port: address.port,
    get eventClients() {
      return events.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
