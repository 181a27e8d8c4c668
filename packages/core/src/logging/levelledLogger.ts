import type { ApogeeLogger, LogLevel } from './ApogeeLogger';
import { LOG_LEVELS } from './ApogeeLogger';

const ignore = (): void => undefined;

/**
 * `logger` restricted to lines at `level` or more serious: the methods below it do nothing, so a
 * line Apogee would not print costs a call, not a message. Methods are bound to `logger`, whose
 * own methods may read `this` (pino's do).
 */
export function levelledLogger(logger: ApogeeLogger, level: LogLevel): ApogeeLogger {
  const least = LOG_LEVELS.indexOf(level);
  const method = (name: Exclude<LogLevel, 'silent'>): ApogeeLogger[typeof name] =>
    LOG_LEVELS.indexOf(name) >= least ? logger[name].bind(logger) : ignore;
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
