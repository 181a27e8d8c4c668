import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { StoreWarnings } from '@apogee/core/internal';
import { RedisKeys } from './RedisKeys';
import { disconnect } from './disconnect';
import { HEARTBEAT } from './epochScripts';
import { StoreEpoch } from './StoreEpoch';

/** How to reach Redis: a URL, ioredis options, or an ioredis client the application owns. */
export type RedisConnection = { readonly url: string } | { readonly connection: RedisOptions | Redis };

/**
 * One app's link to Redis, shared by its lease, fence, log and relay: the connections, the keys,
 * and this process's identity and heartbeat (what tells other processes it is alive, so runs it
 * left open are marked `crash` only once it is gone).
 */
export class RedisNode {
  readonly keys: RedisKeys;
  /** This process (this `redis()` call, in fact): random, so a restarted process is a new one. */
  readonly processId = randomBytes(9).toString('base64url');
  /** Values read back that were skipped or refused, reported once a minute per cause. */
  readonly warnings: StoreWarnings;
  /** Whether Redis was emptied under this process, checked at each heartbeat and campaign. */
  readonly epoch: StoreEpoch;
  private readonly state = {
    client: undefined as Redis | undefined,
    /** Connections made by `duplicate()` for blocking reads and pub/sub; always ours to close. */
    extra: new Set<Redis>(),
    heartbeat: undefined as NodeJS.Timeout | undefined,
  };

  constructor(
    private readonly target: RedisConnection,
    name: string,
    /** How long a heartbeat lasts: a process silent for this long counts as dead. */
    readonly heartbeatTtl: number,
    /** The app's `secret` list (empty: none): the first signs, any verifies. */
    readonly secrets: readonly string[] = [],
  ) {
    this.keys = new RedisKeys(name);
    this.warnings = new StoreWarnings(`@apogee/redis "${name}"`);
    // A full heartbeat TTL: every running replica heartbeats three times in it.
    this.epoch = new StoreEpoch(this, heartbeatTtl);
  }

  /** The command connection, (re)made on first use: usable again after `close()`. */
  get client(): Redis {
    const current = this.state.client;
    if (current !== undefined && current.status !== 'end') return current;
    const made = this.make();
    this.state.client = made;
    return made;
  }

  /** A connection of its own, for a blocking read or a subscription; closed by `close()`. */
  duplicate(): Redis {
    const made = this.client.duplicate();
    this.state.extra.add(made);
    made.once('end', () => this.state.extra.delete(made));
    return made;
  }

  /**
   * Starts renewing this process's heartbeat (a third of its TTL apart); each renewal also reads
   * the store's epoch, to notice a Redis emptied under it (see `StoreEpoch`).
   */
  startHeartbeat(): void {
    if (this.state.heartbeat !== undefined) return;
    const beat = (): void => {
      HEARTBEAT.run(this.client, [this.keys.process(this.processId), this.heartbeatTtl, this.keys.epoch])
        .then((epoch) => {
          this.epoch.observe(typeof epoch === 'string' ? epoch : null, 'a heartbeat');
        })
        .catch((error: unknown) => {
          this.warnings.failed(
            "renew this process's heartbeat",
            error,
            `If it stays silent for ${String(this.heartbeatTtl)} ms, a leader records its open runs as crashed.`,
          );
        });
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
    await this.client.del(this.keys.process(this.processId)).catch(() => undefined);
  }

  /** Closes every connection this node made (an application's own client is left open). */
  async close(): Promise<void> {
    await this.stopHeartbeat();
    for (const extra of [...this.state.extra]) disconnect(extra);
    this.state.extra.clear();
    const client = this.state.client;
    this.state.client = undefined;
    if (client !== undefined && !this.owns(client)) return;
    if (client !== undefined && client.status !== 'end')
      await client.quit().catch(() => {
        client.disconnect();
      });
  }

  private owns(client: Redis): boolean {
    return !('connection' in this.target && this.target.connection === client);
  }

  private make(): Redis {
    if ('url' in this.target)
      return new Redis(this.target.url, { lazyConnect: true, maxRetriesPerRequest: null });
    const { connection } = this.target;
    if (connection instanceof Redis) return connection;
    return new Redis({ maxRetriesPerRequest: null, ...connection, lazyConnect: true });
  }
}
