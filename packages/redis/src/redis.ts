import {
  ConfigurationError,
  type Duration,
  type Leadership,
  type RequestRelay,
  type RunLogWithOutput,
  type StartFence,
} from '@apogee/core';
import { storeSecrets, toMilliseconds } from '@apogee/core/internal';
import type { Redis, RedisOptions } from 'ioredis';
import { LeaderLease } from './LeaderLease';
import { RedisFence } from './RedisFence';
import { RedisNode, type RedisConnection } from './RedisNode';
import { RedisRelay } from './RedisRelay';
import { RedisRunLog } from './RedisRunLog';

/** Options of {@link redis}: where Redis is, which app this is, and how long a lease lasts. */
export type RedisAppOptions = (
  | { /** `redis://host:port/db`. */ readonly url: string; readonly connection?: undefined }
  | {
      /** ioredis options, or an ioredis client (yours: it is not closed at shutdown). */
      readonly connection: RedisOptions | Redis;
      readonly url?: undefined;
    }
) & {
  /** The app's name: replicas with the same name share one schedule. No `:`. */
  readonly name: string;
  /**
   * How long the leader's lease lasts without a renewal (renewed every third of it): a dead or
   * paused leader is replaced within this plus a third. Default `'10 seconds'`.
   */
  readonly leaseTtl?: Duration;
  /** How much history the shared log keeps. Default: everything. */
  readonly retention?: { readonly maxAge?: Duration; readonly perTask?: number };
  /**
   * A secret shared by every replica (at least 16 characters), or a list of them while rotating:
   * the first signs, any verifies. Requests relayed to the leader and stored return values then
   * carry an HMAC, and ones without a valid HMAC are refused with a warning, so that whoever can
   * write to Redis cannot have a task run with arguments of their choosing. Defence in depth: it
   * does not stop them from disturbing the schedule (see the README's security section).
   */
  readonly secret?: string | readonly string[];
};

/** What {@link redis} returns, to spread into `new App({...})`. */
export interface RedisAppParts {
  /** The shared run log. */
  readonly log: RunLogWithOutput;
  /** The leader lease. */
  readonly leadership: Leadership;
  /** Claims each start in Redis, under the lease's fencing token. */
  readonly fence: StartFence;
  /** Carries requests from replicas that do not lead to the leader. */
  readonly relay: RequestRelay;
}

/**
 * Many replicas of one app on one Redis: a shared run log, a leader lease (one replica checks
 * conditions and starts runs), a start fence (each due run starts at most once, even across a
 * failover) and a relay (`task.run()` on any replica reaches the leader). Returns only these
 * keys: spread them into `new App`.
 *
 * @example
 * ```ts
 * const app = new App({ tasks: [Billing], ...redis({ url: 'redis://127.0.0.1:6379', name: 'billing' }) });
 * ```
 */
export function redis(options: RedisAppOptions): RedisAppParts {
  const { name } = options;
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    throw new ConfigurationError(
      'redis({ name })',
      name,
      'a non-empty name without ":" (it is part of every key)',
    );
  }
  const ttl = toMilliseconds(options.leaseTtl ?? '10 seconds', `redis({ name: '${name}' }) leaseTtl`);
  if (ttl < 30)
    throw new ConfigurationError(`redis({ name: '${name}' }) leaseTtl`, options.leaseTtl, 'at least 30 ms');
  const target = connectionOf(options);
  const maxAge =
    options.retention?.maxAge === undefined
      ? undefined
      : toMilliseconds(options.retention.maxAge, `redis({ name: '${name}' }) retention.maxAge`);
  const perTask = options.retention?.perTask;
  if (perTask !== undefined && (!Number.isInteger(perTask) || perTask < 1)) {
    throw new ConfigurationError(
      `redis({ name: '${name}' }) retention.perTask`,
      perTask,
      'a whole number of at least 1',
    );
  }
  // A process silent for half a lease is dead: its heartbeat lapses before its lease can, so a
  // new leader's restore already sees its open runs as crashed.
  const secrets = storeSecrets(options.secret, `redis({ name: '${name}' }) secret`);
  const node = new RedisNode(target, name, Math.max(15, Math.floor(ttl / 2)), secrets);
  const log = new RedisRunLog(node, { maxAge, perTask });
  const leadership = new LeaderLease(node, ttl);
  return {
    log,
    leadership,
    fence: new RedisFence(node, leadership, log),
    relay: new RedisRelay(node, leadership),
  };
}

function connectionOf(options: RedisAppOptions): RedisConnection {
  // The URL may hold a password: the error says which options were given, not their values.
  const { name } = options;
  if (options.url !== undefined && options.connection !== undefined) {
    throw new ConfigurationError(
      `redis({ name: '${name}' })`,
      { url: 'given', connection: 'given' },
      'either url (redis://host:port) or connection (ioredis options or client), not both: drop one of them',
    );
  }
  if (options.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      throw new ConfigurationError(
        `redis({ name: '${options.name}' }) url`,
        options.url,
        'a URL such as redis://127.0.0.1:6379',
      );
    }
    return { url: options.url };
  }
  const connection = (options as { connection?: unknown }).connection;
  if (typeof connection !== 'object' || connection === null) {
    throw new ConfigurationError(
      `redis({ name: '${options.name}' })`,
      connection,
      'either url (redis://host:port) or connection (ioredis options or client)',
    );
  }
  return { connection: connection as RedisOptions | Redis };
}
