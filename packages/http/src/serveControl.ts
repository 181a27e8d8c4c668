import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, type App } from '@apogee/core';
import { LOOPBACK } from './ControlAccess';
import { limitConnections, serverOptions, type ConnectionLimits } from './ConnectionLimits';
import { controlLimits } from './ControlLimits';
import {
  createControlHandler,
  type ControlHandler,
  type ControlHandlerOptions,
} from './createControlHandler';

/** Options of {@link serveControl}. */
export interface ControlOptions extends ControlHandlerOptions, ConnectionLimits {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. Default `127.0.0.1`; anything but loopback requires `token`. */
  readonly host?: string;
}

/** A running control server. */
export interface ControlServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** The port bound: the one asked for, or the one the system chose for `port: 0`. */
  readonly port: number;
  /** How many clients are streaming `GET /events` now. */
  readonly eventClients: number;
  /**
   * Stops accepting requests, ends event streams and closes the server. Done by itself when the
   * app shuts down (its `schedulerStopped` event); calling it again is a no-op.
   */
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** Listens on `port` and `host`; the address actually bound. */
async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
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
 * memory for each request, queue and event stream, and never stops the scheduler. To serve the
 * same API from a server of your own, mount {@link createControlHandler}.
 *
 * @example
 * ```ts
 * const control = await serveControl(app, { port: 7070 });
 * console.log(`control API on ${control.url}`);
 * ```
 */
export async function serveControl(app: App, options: ControlOptions): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  // Checked here too, so that a bad limit is reported as serveControl's.
  controlLimits(options, 'serveControl');
  if (!LOOPBACK.test(host) && (options.token === undefined || options.token === '')) {
    throw new ConfigurationError(
      'serveControl host',
      host,
      'a loopback address (127.0.0.1, localhost, ::1), or a token: binding elsewhere without one would let anyone on the network run your tasks',
    );
  }
  const server = createServer(serverOptions(options));
  limitConnections(server, options);
  const address = await listen(server, options.port, host);
  let handler: ControlHandler;
  try {
    // The name it was bound by, at the bound port, is one of its names (`localhost`, a DNS name).
    const bound = WILDCARD.has(host)
      ? []
      : [`${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${String(address.port)}`];
    handler = createControlHandler(app, {
      ...options,
      allowedHosts: [...bound, ...(options.allowedHosts ?? [])],
    });
  } catch (error) {
    server.close();
    throw error;
  }
  // No request can arrive before this: the listen callback and this continuation run before any I/O.
  server.on('request', handler);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopped.unsubscribe();
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    })());
  // Once its app has shut down (SIGTERM, Ctrl-C, app.shutdown()), the server closes too: an open
  // socket would keep the process alive, answering for an app that no longer runs.
  const stopped = app.events.subscribe((event) => {
    if (event.type === 'schedulerStopped') void close();
  });
  return {
    url: `http://${shownHost}:${String(address.port)}`,
    port: address.port,
    get eventClients() {
      return handler.eventClients;
    },
    close,
  };
}
