import type { ApogeeLogger } from '@apogee/core';

/**
 * A `config.logger` that keeps the messages of the warning lines an app writes (its own, and its
 * stores'), and drops the rest: what a test that checks a warning reads.
 */
export function warningLogger(warnings: string[] = []): { logger: ApogeeLogger; warnings: string[] } {
  const drop = (): void => undefined;
  return {
    warnings,
    logger: {
      debug: drop,
      info: drop,
      error: drop,
      warn: (message) => {
        warnings.push(message);
      },
    },
  };
}
