import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, RUN_ACTIONS, type App, type ScheduledTask } from '@apogee/core';
import { closeNames, errorMessage, isRunAction } from '@apogee/core/internal';
import { toJson } from './toJson';

/** Options of {@link serveControl}. */
export interface ControlOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1`; anything but loopback requires `token`. */
  readonly host?: string;
  /** When set, every request must send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Largest accepted request body, in bytes. Default 64 KiB. */
  readonly bodyLimit?: number;
}

/** A running control server. */
export interface ControlServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, ends event streams and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** A response that ends the request early with a status and a reason. */
class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/** What the API says about a task. */
function describeTask(task: ScheduledTask): Record<string, unknown> {
  return {
    name: task.name,
    status: task.status ?? null,
    isRunning: task.isRunning,
    disabled: task.disabled,
    lastRun: iso(task.lastRun),
    lastSuccess: iso(task.lastSuccess),
    lastFail: iso(task.lastFail),
    nextRun: iso(task.nextRun()),
    start: task.start.toString(),
    end: task.end?.toString() ?? null,
    priority: task.priority,
    batches: task.batches.length,
    parameters: task.parameters,
  };
}

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

/** Reads the body, refusing more than `limit` bytes without buffering them. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(
      new HttpProblem(413, `The request body is ${declared} bytes; the limit is ${limit} bytes.`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpProblem(413, `The request body is over the limit of ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** Batch parameters from a request body: a JSON object (an empty body is no parameters). */
function parseParameters(body: string): Record<string, unknown> {
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
  return parsed as Record<string, unknown>;
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpProblem(
      400,
      `Query parameter ${name} must be a whole number from ${min} to ${max}, got "${raw}".`,
    );
  return n;
}

/**
 * Starts an HTTP control API for `app`: `GET /tasks`, `GET /tasks/:name`,
 * `POST /tasks/:name/run` (a JSON object body = batch parameters), `POST /tasks/:name/terminate`,
 * `GET /logs?task=&action=&limit=`, `GET /upcoming?n=` and `GET /events` (server-sent events).
 * It binds to 127.0.0.1 unless told otherwise, and then requires a token. Whatever it receives,
 * it answers with a status and a reason and never stops the scheduler.
 *
 * @example
 * ```ts
 * const control = await serveControl(app, { port: 7070 });
 * console.log(`control API on ${control.url}`);
 * ```
 */
export async function serveControl(app: App, options: ControlOptions): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  const bodyLimit = options.bodyLimit ?? 64 * 1024;
  if (!LOOPBACK.test(host) && (options.token === undefined || options.token === '')) {
    throw new ConfigurationError(
      'serveControl host',
      host,
      'a loopback address (127.0.0.1, localhost, ::1), or a token: binding elsewhere without one would let anyone on the network run your tasks',
    );
  }
  const expected = options.token === undefined ? undefined : digest(options.token);
  const streams = new Set<ServerResponse>();
  const unsubscribes = new Set<() => void>();

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
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    // Compare digests: equal length, constant time, and the token's length does not leak.
    return timingSafeEqual(digest(given), expected);
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const subscription = app.events.subscribe((event) => {
      res.write(`event: ${event.type}\ndata: ${toJson(event)}\n\n`);
    });
    // A comment now and then keeps proxies from closing an idle stream; only while a client listens.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000).unref();
    const stop = (): void => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      streams.delete(res);
      unsubscribes.delete(stop);
    };
    streams.add(res);
    unsubscribes.add(stop);
    req.on('close', stop);
    res.on('error', stop);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req)) {
      send(
        res,
        401,
        { error: 'Missing or wrong token: send "Authorization: Bearer <token>".' },
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://control');
    const parts = url.pathname
      .split('/')
      .filter((p) => p !== '')
      .map((p) => decodeURIComponent(p));
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]): void => {
      if (!methods.includes(method))
        throw new HttpProblem(
          405,
          `${method} is not allowed on ${url.pathname}; use ${methods.join(' or ')}.`,
          { allow: methods },
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
          'GET /logs',
          'GET /upcoming',
          'GET /events',
        ],
      });
      return;
    }
    const [head, name, action, ...rest] = parts;
    if (head === 'tasks' && rest.length === 0) {
      if (name === undefined) {
        allow('GET');
        send(res, 200, app.session.tasks.map(describeTask));
        return;
      }
      if (action === undefined) {
        allow('GET');
        send(res, 200, describeTask(task(name)));
        return;
      }
      if (action === 'run') {
        allow('POST');
        const target = task(name);
        const type = req.headers['content-type'];
        if (type !== undefined && !type.startsWith('application/json')) {
          throw new HttpProblem(415, `Send the batch parameters as application/json, not ${type}.`);
        }
        const params = parseParameters(await readBody(req, bodyLimit));
        target.run(params);
        send(res, 202, {
          task: target.name,
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
      });
      send(res, 200, records.slice(-limit));
      return;
    }
    if (head === 'upcoming' && name === undefined) {
      allow('GET');
      send(res, 200, app.session.upcoming(intParam(url, 'n', 10, 1, 1000)));
      return;
    }
    if (head === 'events' && name === undefined) {
      allow('GET');
      events(req, res);
      return;
    }
    throw new HttpProblem(404, `No such endpoint: ${method} ${url.pathname}. See GET / for the list.`);
  };

  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    route(req, res).catch((error: unknown) => {
      if (error instanceof HttpProblem) {
        const allow = error.extra.allow;
        send(
          res,
          error.status,
          { error: error.message, ...error.extra },
          Array.isArray(allow) ? { allow: allow.join(', ') } : {},
        );
      } else send(res, 500, { error: `The control API failed: ${errorMessage(error)}` });
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
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of [...unsubscribes]) stop();
        for (const res of streams) res.end();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
