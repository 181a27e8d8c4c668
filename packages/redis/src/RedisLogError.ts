import { ApogeeError } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';

/** The shared run log could not read or write Redis. */
export class RedisLogError extends ApogeeError {
  constructor(name: string, what: string, cause: unknown) {
    super(
      'REDIS_LOG',
      `RedisRunLog("${name}"): ${what} (${errorMessage(cause)}). ` +
        'Check that Redis is reachable at the configured URL; the scheduler keeps its state in memory meanwhile.',
      { cause },
    );
  }
}
