/**
 * Where Apogee's own log lines go (`config.logger`): any object with these four methods, such as
 * the console, a pino logger or (under `@apogee/nestjs`) Nest's `Logger`. Structured fields travel
 * as the second argument, so a JSON logger can keep them as fields.
 *
 * @example
 * ```ts
 * new App({ config: { logger: console, logLevel: 'warn' } });
 * ```
 */
export interface ApogeeLogger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** The least serious line `config.logger` receives; `'silent'` turns Apogee's logging off. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The levels in increasing seriousness, as `config.logLevel` orders them. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
