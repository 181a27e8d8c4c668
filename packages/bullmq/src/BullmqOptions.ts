import type { Redis, RedisOptions } from 'ioredis';
import type { Duration } from '@apogee/core';

/**
 * Options of {@link bullmq}: where Redis is, and the name the app's instances share.
 *
 * @example
 * ```ts
 * const options: BullmqOptions = { url: 'redis://127.0.0.1:6379', name: 'billing', concurrency: 4 };
 * ```
 */
export interface BullmqOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). Give this or `connection`. */
  readonly url?: string;
  /**
   * ioredis options or an ioredis instance (its options are copied: every BullMQ part gets its own
   * connection, with the `maxRetriesPerRequest: null` BullMQ needs). Give this or `url`.
   */
  readonly connection?: RedisOptions | Redis;
  /** The app's name, the same on every instance: the queue is named after it. No `:`. */
  readonly name: string;
  /**
   * Runs this instance's worker executes at once. Default 1; 0 runs no worker here (an instance
   * that only schedules and dispatches).
   */
  readonly concurrency?: number;
  /**
   * How long a worker holds a job's lock between renewals; a worker silent for longer (its
   * process died) has its run recorded `crash` within about twice this. Default 30 seconds.
   */
  readonly lockDuration?: Duration;
  /**
   * A secret shared by every instance (at least 16 characters), or a list of them while rotating:
   * the first signs, any verifies. The leader signs each job's data with an HMAC, and a worker
   * refuses (and logs) a job without a valid one, so that whoever can write to Redis cannot have
   * a task run with arguments of their choosing. Give `redis()` the same `secret`.
   */
  readonly secret?: string | readonly string[];
}
