import { errorMessage, type StoreWarnings } from '@apogee/core/internal';
import type pg from 'pg';

/** One subscriber: woken by each notification on its channel, and after each reconnection. */
interface Subscriber {
  readonly channel: string;
  /** A notification arrived (its payload), or, with `undefined`, the connection came back: what was missed is to be read again. */
  readonly wake: (payload: string | undefined) => void;
}

/** The longest wait between two attempts to reconnect. */
const MAX_BACKOFF_MS = 2_000;

/**
 * LISTEN on one dedicated connection, for every channel a node follows. PostgreSQL delivers a
 * notification only to sessions listening when it is committed, so a lost connection loses
 * notifications: this reconnects (with a growing pause), LISTENs again, and then wakes every
 * subscriber with `undefined`, so each re-reads what it may have missed (notifications are
 * wake-ups; the tables are the truth).
 */
export class NotificationListener {
  private readonly subscribers = new Set<Subscriber>();
  private readonly state = {
    client: undefined as pg.Client | undefined,
    connecting: undefined as Promise<pg.Client> | undefined,
    closed: false,
    reconnecting: false,
    backoff: 100,
  };

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    /** The node's warnings (the app's logger once it gives one). */
    private readonly warnings: StoreWarnings,
  ) {}

  /**
   * Follows `channel`; resolves once PostgreSQL confirmed the LISTEN (every notification
   * committed from then on reaches `wake`). Returns what stops that.
   */
  async listen(channel: string, wake: Subscriber['wake']): Promise<() => void> {
    const subscriber: Subscriber = { channel, wake };
    this.subscribers.add(subscriber);
    try {
      const client = await this.connection();
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      // Not listening yet: keep trying in the background (the subscriber is woken once it is),
      // and tell the caller now.
      if (this.state.client === undefined) void this.reconnect();
      throw error;
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (![...this.subscribers].some((s) => s.channel === channel))
        this.state.client?.query(`UNLISTEN "${channel}"`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.state.closed = true;
    this.subscribers.clear();
    const client = this.state.client;
    this.state.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.state.client !== undefined) return Promise.resolve(this.state.client);
    this.state.connecting ??= this.open().finally(() => {
      this.state.connecting = undefined;
    });
    return this.state.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = await this.connect();
    client.on('notification', (message) => {
      for (const s of [...this.subscribers]) if (s.channel === message.channel) s.wake(message.payload);
    });
    const lost = (): void => {
      if (this.state.client !== client) return;
      this.state.client = undefined;
      void client.end().catch(() => undefined);
      if (!this.state.closed) void this.reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    this.state.client = client;
    if (this.state.closed) await this.close();
    return client;
  }

  private async reconnect(): Promise<void> {
    if (this.state.reconnecting) return;
    this.state.reconnecting = true;
    let warned = false;
    try {
      await this.reconnectLoop(() => {
        if (warned) return false;
        warned = true;
        return true;
      });
    } finally {
      this.state.reconnecting = false;
    }
  }

  /** Tries until connected and listening again; `warnOnce` says whether to warn now (once per outage). */
  private async reconnectLoop(warnOnce: () => boolean): Promise<void> {
    while (!this.state.closed && this.subscribers.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.state.backoff).unref());
      try {
        const client = await this.connection();
        for (const channel of new Set([...this.subscribers].map((s) => s.channel)))
          await client.query(`LISTEN "${channel}"`);
        this.state.backoff = 100;
        for (const s of [...this.subscribers]) s.wake(undefined);
        return;
      } catch (error) {
        this.state.backoff = Math.min(MAX_BACKOFF_MS, this.state.backoff * 2);
        if (this.state.backoff === MAX_BACKOFF_MS && warnOnce())
          this.warnings.warn({
            code: 'APOGEE_POSTGRES_LISTEN',
            message: () =>
              `Apogee: cannot listen to PostgreSQL notifications (${errorMessage(error)}); retrying.`,
          });
      }
    }
  }
}
