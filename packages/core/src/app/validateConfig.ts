import { ConfigurationError } from '../errors/ConfigurationError';
import { toMilliseconds } from '../time/Duration';
import { LOG_LEVELS } from '../logging/ApogeeLogger';
import type { AppConfig } from './AppConfig';
import {
  checkCatchup,
  checkPauseAfterFailures,
  checkRerunCrashed,
  overlapAt,
} from './registration/settlePolicies';

/** Throws a `ConfigurationError` for the first setting of `config` that Apogee cannot use. */
export function validateConfig(config: AppConfig): void {
  const { execution, maxProcesses, maxThreads } = config;
  if (execution !== undefined && !['main', 'async', 'thread', 'process', 'queue'].includes(execution)) {
    throw new ConfigurationError(
      'config.execution',
      execution,
      "'main', 'async', 'thread', 'process' or 'queue'",
    );
  }
  for (const [key, value] of [
    ['maxProcesses', maxProcesses],
    ['maxThreads', maxThreads],
    ['maxBatches', config.maxBatches],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw new ConfigurationError(`config.${key}`, value, 'a whole number of at least 1');
  }
  if (config.uncaughtErrors !== undefined && !['report', 'exit'].includes(config.uncaughtErrors))
    throw new ConfigurationError('config.uncaughtErrors', config.uncaughtErrors, "'report' or 'exit'");
  if (config.conditionTimeout !== undefined)
    toMilliseconds(config.conditionTimeout, 'config.conditionTimeout');
  overlapAt(config, 'config');
  checkCatchup(config.catchup, 'config');
  checkPauseAfterFailures(config.pauseAfterFailures, 'config');
  checkRerunCrashed(config.rerunCrashed, 'config');
  for (const key of ['catchupWindow', 'jitter', 'minRunGap'] as const) {
    const value = config[key];
    if (value !== undefined) toMilliseconds(value, `config.${key}`);
  }
  if (config.onWarning !== undefined && typeof config.onWarning !== 'function')
    throw new ConfigurationError('config.onWarning', config.onWarning, 'a function (warning) => void');
  checkLogging(config);
  if (config.timeout !== undefined && config.timeout !== 'never')
    toMilliseconds(config.timeout, 'config.timeout');
}

function checkLogging(config: AppConfig): void {
  const { logger, logLevel, runOutput } = config;
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel))
    throw new ConfigurationError('config.logLevel', logLevel, "'debug', 'info', 'warn', 'error' or 'silent'");
  if (logger !== undefined) {
    const missing = (['debug', 'info', 'warn', 'error'] as const).filter(
      (name) => typeof (logger as unknown as Record<string, unknown>)[name] !== 'function',
    );
    if (missing.length > 0)
      throw new ConfigurationError(
        'config.logger',
        // The logger itself may not be JSON (pino's has cycles): its kind is enough to find it.
        Object.prototype.toString.call(logger),
        `an object with debug, info, warn and error methods (this one has no ${missing.join(', ')}; wrap it, e.g. { ...logger, info: logger.log })`,
      );
  }
  for (const key of ['maxLines', 'maxBytes'] as const) {
    const value = runOutput?.[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw new ConfigurationError(`config.runOutput.${key}`, value, 'a whole number of at least 1');
  }
}
