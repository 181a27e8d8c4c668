import { ConfigurationError, type QueueExecution } from '@apogee/core';
import { queueExecution, StoreWarnings, storeSecrets, toMilliseconds } from '@apogee/core/internal';
import type { BullmqOptions } from './BullmqOptions';
import { QueueExecutor } from './QueueExecutor';
import { jobIdOf } from './QueueJob';
import { queueNames } from './QueueNames';
import { redisOptions } from './redisOptions';

const DEFAULT_LOCK_MS = 30_000;

/**
 * Execution `'queue'` on BullMQ: spread the result into `new App({ ... })` next to
 * `...redis({ url, name })`. The leader decides when a task runs and adds a job; every instance
 * runs a worker (`concurrency` runs at once) that may take it. Returns only its own key, `queue`.
 *
 * @example
 * ```ts
 * const app = new App({
 *   tasks: [Billing],
 *   ...redis({ url: process.env.REDIS_URL, name: 'billing' }),
 *   ...bullmq({ url: process.env.REDIS_URL, name: 'billing', concurrency: 4 }),
 * });
 * ```
 */
export function bullmq(options: BullmqOptions): { readonly queue: QueueExecution } {
  const { name } = options;
  if (typeof name !== 'string' || name === '' || name.includes(':'))
    throw new ConfigurationError(
      'bullmq({ name })',
      name,
      "a non-empty name without ':' (BullMQ queue names cannot hold it), the same on every instance of the app",
    );
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 0)
    throw new ConfigurationError(
      `bullmq({ name: '${name}' }) concurrency`,
      concurrency,
      'a whole number: the runs this instance executes at once (0: it executes none, it only dispatches)',
    );
  const settings = {
    names: queueNames(name),
    redis: redisOptions(options),
    concurrency,
    lockDuration:
      options.lockDuration === undefined
        ? DEFAULT_LOCK_MS
        : toMilliseconds(options.lockDuration, `bullmq({ name: '${name}' }) lockDuration`),
    secrets: storeSecrets(options.secret, `bullmq({ name: '${name}' }) secret`),
    warnings: new StoreWarnings(`@apogee/bullmq "${name}"`),
  };
  return {
    queue: queueExecution({
      messaging: { system: 'bullmq', destination: settings.names.queue, messageId: jobIdOf },
      create(app) {
        if (app.leadership === undefined)
          throw new ConfigurationError(
            `new App({ ...bullmq({ name: '${name}' }) })`,
            'without a leader lease',
            "...redis({ url, name }) from '@apogee/redis' spread next to it: queue runs need its leader lease " +
              "(one instance dispatches each run) and its shared run log (every instance's results in one history)",
          );
        settings.warnings.useLogger(app.logger);
        return new QueueExecutor(settings, app);
      },
    }),
  };
}
