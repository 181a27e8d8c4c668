import type { ApogeeLogger } from '@apogee/core';
import { Logger } from '@nestjs/common';

/**
 * Apogee's lines through Nest's `Logger` (context "Apogee"), so they follow whatever logger the
 * Nest application was given (`NestFactory.create(..., { logger })`, `app.useLogger(...)`). Nest's
 * logger has `log` where Apogee has `info`; its optional parameters are a stack and a context, not
 * fields, so only the message (which stands alone: task, run id, stack) is passed.
 */
export function nestLogger(logger: Logger = new Logger('Apogee')): ApogeeLogger {
  return {
    debug: (message) => {
      logger.debug(message);
    },
    info: (message) => {
      logger.log(message);
    },
    warn: (message) => {
      logger.warn(message);
    },
    error: (message) => {
      logger.error(message);
    },
  };
}
