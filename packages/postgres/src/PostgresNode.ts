import { createHash, randomBytes } from 'node:crypto';
import { errorMessage, StoreWarnings } from '@apogee/core/internal';
import pg from 'pg';
import { NotificationListener } from './NotificationListener';
import { migrate } from './migrate';

/** How to reach PostgreSQL: a URL, or a `pg.Pool` the application owns. */
export type PostgresConnection = { readonly url: string } | { readonly pool: pg.Pool };

/**
 * One app's link to PostgreSQL, shared by its lease, fence, log and relay: the pool, the schema
 * (created and migrated on first use), the notification channels, and this process's identity
 * and heartbeat (what tells other processes it is alive, so runs it left open are marked `crash`
 * only once it is gone).
 */
export class PostgresNode {
  /** This process (this `postgres()` call, in fact): random, so a restarted process is a new one. */
  readonly processId = randomBytes(9).toString('base64url');
  /** Values read back that were skipped or refused, reported once a minute per cause. */
  readonly warnings: StoreWarnings;
  /** The schema, quoted for SQL. */
  readonly s: string;
  /** Where appends announce a new record, and where a forwarded request wakes the leader. */
  readonly channels: { readonly records: string; readonly requests: string };
  private readonly state = {
    pool: undefined as pg.Pool | undefined,
    ready: undefined as Promise<void> | undefined,
    listener: undefined as NotificationListener | undefined,
    heartbeat: undefined as NodeJS.Timeout | undefined,
  };

  constructor(
    private readonly target: PostgresConnection,
    readonly name: string,
    readonly schema: string,
    /** How long a heartbeat lasts: a process silent for this long counts as dead. */
    readonly heartbeatTtl: number,
    /** The app's `secret` list (empty: none): the first signs, any verifies. */
    readonly secrets: readonly string[] = [],
  ) {
    this.s = `"${schema}"`;
    this.warnings = new StoreWarnings(`@apogee/postgres "${name}"`);
    // A hash keeps channel names short identifiers whatever the app's name (at most 63 bytes).
    const id = createHash('sha256').update(`${schema}\0${name}`).digest('hex').slice(0, 24);
    this.channels = { records: `apogee_r_${id}`, requests: `apogee_q_${id}` };
  }

  /** The pool, (re)made on first use: usable again after `close()`. */
  get pool(): pg.Pool {
    if (this.state.pool !== undefined) return this.state.pool;
    const pool = 'pool' in this.target ? this.target.pool : this.makePool(this.target.url);
    // An idle client whose server went away emits 'error' on the pool: without a listener that
    // would be an uncaught exception. The next query reconnects.
    pool.on('error', ignore);
    this.state.pool = pool;
    return pool;
  }

  /** Runs one statement once the schema is ready. */
  async query<R extends pg.QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    await this.ready();
    const result = await this.pool.query<R>(text, values as unknown[]);
    return result.rows;
  }

  /** Creates or migrates the schema, once per node (again after a failure). */
  ready(): Promise<void> {
    this.state.ready ??= migrate(this.pool, this.schema).catch((error: unknown) => {
      this.state.ready = undefined;
      throw error;
    });
    return this.state.ready;
  }

  /** The one connection that LISTENs for this node (made on first use). */
  get listener(): NotificationListener {
    this.state.listener ??= new NotificationListener(() => this.connectOne(), this.warnings);
    return this.state.listener;
  }

  /** Starts renewing this process's heartbeat (a third of its TTL apart). */
  startHeartbeat(): void {
    if (this.state.heartbeat !== undefined) return;
    const beat = (): void => {
      this.query(
        `INSERT INTO ${this.s}.processes (app, id, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (app, id) DO UPDATE SET expires_at = excluded.expires_at`,
        [this.name, this.processId, this.heartbeatTtl],
      ).catch((error: unknown) => {
        this.warnings.failed(
          "renew this process's heartbeat",
          error,
          `If it stays silent for ${String(this.heartbeatTtl)} ms, a leader records its open runs as crashed.`,
        );
      });
      // Rows of processes long dead (killed, so never removed), a few at a time.
      this.query(
        `DELETE FROM ${this.s}.processes WHERE (app, id) IN (SELECT app, id FROM ${this.s}.processes
           WHERE app = $1 AND expires_at < now() - interval '1 day' LIMIT 10)`,
        [this.name],
      ).catch(ignore);
    };
    beat();
    this.state.heartbeat = setInterval(beat, Math.max(1, Math.floor(this.heartbeatTtl / 3)));
    this.state.heartbeat.unref();
  }

  /** Stops the heartbeat and removes it: this process's runs have all ended. */
  async stopHeartbeat(): Promise<void> {
    if (this.state.heartbeat === undefined) return;
    clearInterval(this.state.heartbeat);
    this.state.heartbeat = undefined;
    await this.query(`DELETE FROM ${this.s}.processes WHERE app = $1 AND id = $2`, [
      this.name,
      this.processId,
    ]).catch(ignore);
  }

  /** Closes every connection this node made (an application's own pool is left open). */
  async close(): Promise<void> {
    await this.stopHeartbeat();
    const listener = this.state.listener;
    this.state.listener = undefined;
    await listener?.close();
    const pool = this.state.pool;
    this.state.pool = undefined;
    this.state.ready = undefined;
    if (pool === undefined) return;
    pool.off('error', ignore);
    if (!('pool' in this.target)) await pool.end().catch(ignore);
  }

  /** A connection of its own (for LISTEN), with the pool's settings. */
  private async connectOne(): Promise<pg.Client> {
    const options = 'url' in this.target ? clientOptions(this.target.url) : this.target.pool.options;
    const client = new pg.Client(options);
    client.on('error', ignore);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(ignore);
      throw new Error(`cannot connect to PostgreSQL (${errorMessage(error)})`, { cause: error });
    }
    return client;
  }

  private makePool(url: string): pg.Pool {
    return new pg.Pool({ ...clientOptions(url), max: 4 });
  }
}

/**
 * Client settings: a connection attempt or a statement that hangs (a server gone silent) fails
 * after a while instead of holding a pooled client forever; TCP keep-alive notices a dead peer.
 */
function clientOptions(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    query_timeout: 30_000,
    keepAlive: true,
    application_name: 'apogee',
  };
}

function ignore(): void {
  // Nothing to do: the caller retries on its own schedule.
}
