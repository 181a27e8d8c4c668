import { ConfigurationError } from '../errors/ConfigurationError';
import { toMilliseconds } from '../time/Duration';
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
  if (config.timeout !== undefined && config.timeout !== 'never')
    toMilliseconds(config.timeout, 'config.timeout');
}
