import type { Server } from 'node:http';
import { ConfigurationError } from '@apogee/core';

/** How many connections a control server holds and how long an idle one may stay. */
export interface ConnectionLimits {
  /**
   * Most open connections at once (event streams included); past it, a new connection is closed
   * at once. Each holds a file descriptor, shared with the tasks: without a cap, a client opening
   * idle sockets could use them all, so that tasks fail to open files. Default 256.
   */
  readonly maxConnections?: number;
  /**
   * Milliseconds a connection may stay idle: before it sends a whole request head, and between two
   * requests on a kept-alive connection. Then it is closed (a 408 when a request had begun). Event
   * streams are not idle: they are answering. Default 10,000.
   */
  readonly idleTimeout?: number;
}

/** Longest a client may take to send a whole request, body included, however active it stays. */
const REQUEST_TIMEOUT = 60_000;

function whole(name: keyof ConnectionLimits, value: number, least: number): number {
  if (!Number.isSafeInteger(value) || value < least)
    throw new ConfigurationError(`serveControl ${name}`, value, `a whole number, ${String(least)} or more`);
  return value;
}

/** The options `createServer` takes for these limits; validates them first. */
export function serverOptions(limits: ConnectionLimits): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  const idle = whole('idleTimeout', limits.idleTimeout ?? 10_000, 1);
  whole('maxConnections', limits.maxConnections ?? 256, 1);
  return {
    headersTimeout: idle,
    requestTimeout: Math.max(idle, REQUEST_TIMEOUT),
    keepAliveTimeout: idle,
    // Node looks for expired connections this often (30 s by default, which let idle sockets
    // pile up for half a minute): a quarter of the idle time, between 100 ms and a second.
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(idle / 4))),
  };
}

/** Caps the server's connections and answers what the HTTP parser refuses with a status. */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections ?? 256;
  server.keepAliveTimeout = limits.idleTimeout ?? 10_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
  });
}
