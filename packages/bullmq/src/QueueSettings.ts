import type { RedisOptions } from 'ioredis';
import type { StoreWarnings } from '@apogee/core/internal';
import type { QueueNames } from './QueueNames';

/** What `bullmq()` resolved from its options, shared by the leader's side and the worker. */
export interface QueueSettings {
  readonly names: QueueNames;
  readonly redis: RedisOptions;
  readonly concurrency: number;
  readonly lockDuration: number;
  /** The `secret` list (empty: none): the first signs jobs, any verifies them. */
  readonly secrets: readonly string[];
  /** Jobs, results and messages refused or skipped, reported once a minute per cause. */
  readonly warnings: StoreWarnings;
}
