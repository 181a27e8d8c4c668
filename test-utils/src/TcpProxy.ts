import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** What the proxy does with the bytes it receives, both ways. */
type Mode =
  { readonly kind: 'pass' } | { readonly kind: 'hold' } | { readonly kind: 'delay'; readonly ms: number };

/** One direction of one connection: chunks waiting for their turn, in order. */
class Pipe {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly to: Socket,
    private readonly mode: () => Mode,
  ) {}

  push(chunk: Buffer): void {
    const mode = this.mode();
    this.queue.push({ chunk, due: performance.now() + (mode.kind === 'delay' ? mode.ms : 0) });
    this.flush();
  }

  /** Writes every chunk whose time has come, unless holding; wakes for the next one. */
  flush(): void {
    clearTimeout(this.timer);
    const mode = this.mode();
    if (mode.kind === 'hold') return;
    while (this.queue.length > 0) {
      const next = this.queue[0] as { chunk: Buffer; due: number };
      const wait = mode.kind === 'pass' ? 0 : next.due - performance.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.flush();
        }, wait);
        return;
      }
      this.queue.shift();
      if (!this.to.destroyed) this.to.write(next.chunk);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

/**
 * A TCP proxy for fault tests, between one client process and a real server (Redis, PostgreSQL):
 * it passes bytes through, holds them with the sockets open (a partition TCP does not notice),
 * delays each chunk by some milliseconds (a slow link; order is kept), or cuts every connection.
 * The mode applies to both directions and to the bytes already waiting.
 *
 * @example
 * ```ts
 * const proxy = await TcpProxy.start(server.port);
 * // the client connects to `redis://127.0.0.1:${proxy.port}`
 * proxy.delay(1_000);
 * proxy.pass();
 * await proxy.close();
 * ```
 */
export class TcpProxy {
  private mode: Mode = { kind: 'pass' };
  private readonly connections = new Set<{ client: Socket; upstream: Socket; pipes: Pipe[] }>();

  private constructor(
    private readonly server: Server,
    /** The port clients connect to. */
    readonly port: number,
  ) {}

  /** Listens on a free loopback port, forwarding to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => {
      proxy.accept(client, targetPort);
    });
    return proxy;
  }

  /** Forwards at once, including whatever was held or delayed. */
  pass(): void {
    this.setMode({ kind: 'pass' });
  }

  /** Keeps every byte from now on, with the sockets open, until `pass()` or `delay()`. */
  hold(): void {
    this.setMode({ kind: 'hold' });
  }

  /** Forwards each chunk `ms` after it arrived (from now on), in order. */
  delay(ms: number): void {
    this.setMode({ kind: 'delay', ms });
  }

  /** Destroys every open connection (new ones are still accepted), dropping the bytes waiting. */
  cut(): void {
    for (const connection of [...this.connections]) this.drop(connection);
  }

  /** Cuts everything and stops listening. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    for (const connection of this.connections) for (const pipe of connection.pipes) pipe.flush();
  }

  private accept(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    const connection = {
      client,
      upstream,
      pipes: [new Pipe(upstream, () => this.mode), new Pipe(client, () => this.mode)],
    };
    this.connections.add(connection);
    const [up, down] = connection.pipes as [Pipe, Pipe];
    client.on('data', (chunk: Buffer) => {
      up.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      down.push(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => {
        this.drop(connection);
      });
      socket.on('close', () => {
        this.drop(connection);
      });
    }
  }

  private drop(connection: { client: Socket; upstream: Socket; pipes: Pipe[] }): void {
    if (!this.connections.delete(connection)) return;
    for (const pipe of connection.pipes) pipe.stop();
    connection.client.destroy();
    connection.upstream.destroy();
  }
}
