import type { ServerResponse } from 'node:http';
import type { App } from '@apogee/core';
import { HttpProblem } from './HttpProblem';
import { toJson } from './toJson';

/** Limits of {@link EventBroadcast}. */
export interface EventBroadcastLimits {
  /** Most clients streaming at once; one more gets a 503. */
  readonly maxClients: number;
  /** Most bytes written to a client and not yet taken by it; a client holding more is disconnected at the next event. */
  readonly bufferLimit: number;
}

/** A comment now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * `app.events` as server-sent events, to any number of clients up to a cap. Each event is serialised
 * once, whoever listens. A client that does not read (a stalled tab, a suspended laptop) would make
 * the server hold every event for it; instead, once it leaves more than the buffer limit unsent, it
 * is disconnected at the next event. An `EventSource` reconnects by itself, and `GET /logs` fills the gap.
 */
export class EventBroadcast {
  /** Clients streaming now; the subscription and the heartbeat exist only while there is one. */
  private readonly clients = new Set<ServerResponse>();
  private subscription: { unsubscribe(): void } | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly app: App,
    private readonly limits: EventBroadcastLimits,
  ) {}

  /** How many clients are streaming. */
  get size(): number {
    return this.clients.size;
  }

  /** Starts streaming to `res`, or throws a 503 when the cap is reached. */
  add(res: ServerResponse): void {
    if (this.clients.size >= this.limits.maxClients) {
      throw new HttpProblem(
        503,
        `Too many event streams (${String(this.limits.maxClients)}, serveControl's maxEventClients); try again later.`,
        {},
        { 'retry-after': '5' },
      );
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    this.clients.add(res);
    const remove = (): void => {
      this.remove(res);
    };
    res.on('close', remove);
    res.on('error', remove);
    this.write(res, ': connected\n\n');
    this.subscription ??= this.app.events.subscribe((event) => {
      this.broadcast(`event: ${event.type}\ndata: ${toJson(event)}\n\n`);
    });
    this.heartbeat ??= setInterval(() => {
      this.broadcast(': keep-alive\n\n');
    }, HEARTBEAT_MS).unref();
  }

  /** Ends every stream. */
  close(): void {
    for (const res of [...this.clients]) {
      this.remove(res);
      res.end();
    }
  }

  private broadcast(chunk: string): void {
    for (const res of [...this.clients]) this.write(res, chunk);
  }

  private write(res: ServerResponse, chunk: string): void {
    // writableLength counts what the response and its socket still hold: bytes the client has not
    // taken. Past the limit the client is not keeping up, and holding more would grow without end;
    // below it, the next event is written whatever its size, so a client that keeps up never
    // holds more than the limit and one event.
    if (res.writableLength > this.limits.bufferLimit) {
      this.remove(res);
      res.destroy();
      return;
    }
    res.write(chunk);
  }

  private remove(res: ServerResponse): void {
    if (!this.clients.delete(res) || this.clients.size > 0) return;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
