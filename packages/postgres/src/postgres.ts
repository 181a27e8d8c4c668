import {
  ConfigurationError,
  type Duration,
  type Leadership,
  type RequestRelay,
  type RunLogWithOutput,
  type StartFence,
} from '@apogee/core';
import { storeSecrets, toMilliseconds } from '@apogee/core/internal';
import type pg from 'pg';
import { PostgresFence } from './PostgresFence';
import { PostgresLease } from './PostgresLease';
import { PostgresNode, type PostgresConnection } from './PostgresNode';
import { PostgresRelay } from './PostgresRelay';
import { PostgresRunLog } from './PostgresRunLog';

/** Options of {@link postgres}: where PostgreSQL is, which app this is, and how long a lease lasts. */
export type PostgresAppOptions = (
  | { /** `postgres://user:password@host:port/database`. */ readonly url: string; readonly pool?: undefined }
  | {
      /** A `pg.Pool` (yours: it is not closed at shutdown). */ readonly pool: pg.Pool;
      readonly url?: undefined;
    }
) & {
  /** The app's name: replicas with the same name share one schedule; other names are other apps. */
  readonly name: string;
  /**
   * How long the leader's lease lasts without a renewal (renewed every third of it): a dead or
   * paused leader is replaced within this plus a third. Default `'10 seconds'`.
   */
  readonly leaseTtl?: Duration;
  /** The schema of Apogee's tables, created and migrated at start. Default `'apogee'`. */
  readonly schema?: string;
  /** How much history the shared log keeps. Default: everything. */
  readonly retention?: { readonly maxAge?: Duration; readonly perTask?: number };
  /**
   * A secret shared by every replica (at least 16 characters), or a list of them while rotating:
   * the first signs, any verifies. Requests relayed to the leader and stored return values then
   * carry an HMAC, and ones without a valid HMAC are refused with a warning, so that whoever can
   * write to the database cannot have a task run with arguments of their choosing. Defence in
   * depth: it does not stop them from disturbing the schedule.
   */
  readonly secret?: string | readonly string[];
};

/** What {@link postgres} returns, to spread into `new App({...})`. */
export interface PostgresAppParts {
  /** The shared run log. */
  readonly log: RunLogWithOutput;
  /** The leader lease. */
  readonly leadership: Leadership;
  /** Claims each start in PostgreSQL, checking the lease in the same statement. */
  readonly fence: StartFence;
  /** Carries requests from replicas that do not lead to the leader. */
  readonly relay: RequestRelay;
}

/**
 * Many replicas of one app on one PostgreSQL: a shared run log, a leader lease (one replica checks
 * conditions and starts runs), a start fence (each due run starts at most once, even across a
 * failover) and a relay (`task.run()` on any replica reaches the leader). Tasks execute in the
 * leader's process. Returns only these keys: spread them into `new App`.
 *
 * @example
 * ```ts
 * const app = new App({ tasks: [Billing], ...postgres({ url: process.env.DATABASE_URL, name: 'billing' }) });
 * ```
 */
export function postgres(options: PostgresAppOptions): PostgresAppParts {
  const { name } = options;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigurationError(
      'postgres({ name })',
      name,
      'a non-empty name (it keys every row of the app)',
    );
  }
  const where = `postgres({ name: '${name}' })`;
  const schema = options.schema ?? 'apogee';
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigurationError(`${where} schema`, schema, 'a lower-case SQL identifier such as "apogee"');
  }
  const ttl = toMilliseconds(options.leaseTtl ?? '10 seconds', `${where} leaseTtl`);
  if (ttl < 30) throw new ConfigurationError(`${where} leaseTtl`, options.leaseTtl, 'at least 30 ms');
  const maxAge =
    options.retention?.maxAge === undefined
      ? undefined
      : toMilliseconds(options.retention.maxAge, `${where} retention.maxAge`);
  const perTask = options.retention?.perTask;
  if (perTask !== undefined && (!Number.isInteger(perTask) || perTask < 1)) {
    throw new ConfigurationError(`${where} retention.perTask`, perTask, 'a whole number of at least 1');
  }
  // A process silent for half a lease is dead: its heartbeat lapses before its lease can, so a
  // new leader's restore already sees its open runs as crashed.
  const node = new PostgresNode(
    connectionOf(options, where),
    name,
    schema,
    Math.max(15, Math.floor(ttl / 2)),
    storeSecrets(options.secret, `${where} secret`),
  );
  const log = new PostgresRunLog(node, { maxAge, perTask });
  const leadership = new PostgresLease(node, ttl);
  return {
    log,
    leadership,
    fence: new PostgresFence(node, leadership, log),
    relay: new PostgresRelay(node, leadership),
  };
}

function connectionOf(options: PostgresAppOptions, where: string): PostgresConnection {
  // The URL may hold a password: the error says which options were given, not their values.
  if (options.url !== undefined && options.pool !== undefined) {
    throw new ConfigurationError(
      where,
      { url: 'given', pool: 'given' },
      'either url (postgres://...) or pool (a pg.Pool), not both: drop one of them',
    );
  }
  if (options.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
      throw new ConfigurationError(
        `${where} url`,
        options.url,
        'a URL such as postgres://user@127.0.0.1:5432/db',
      );
    }
    return { url: options.url };
  }
  const pool = (options as { pool?: unknown }).pool;
  // Duck-typed: an application's pool may come from another copy of `pg`.
  if (!isPool(pool)) {
    throw new ConfigurationError(where, pool, 'either url (postgres://...) or pool (a pg.Pool)');
  }
  return { pool };
}

function isPool(value: unknown): value is pg.Pool {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'query' | 'connect' | 'on', unknown>>;
  return (
    typeof candidate.query === 'function' &&
    typeof candidate.connect === 'function' &&
    typeof candidate.on === 'function'
  );
}
