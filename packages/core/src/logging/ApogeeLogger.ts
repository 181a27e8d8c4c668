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
  /** Detail for tracing the scheduler (registrations, wake-ups). `rest` are extra values, as `console.debug` takes them. */
  debug(message: string, ...rest: unknown[]): void;
  /** Routine events worth keeping (start, stop, leadership). `rest` are extra values, as `console.info` takes them. */
  info(message: string, ...rest: unknown[]): void;
  /** Something degraded that the app recovered from. `rest` are extra values, as `console.warn` takes them. */
  warn(message: string, ...rest: unknown[]): void;
  /** Something failed that the app could not recover from. `rest` are extra values, as `console.error` takes them. */
  error(message: string, ...rest: unknown[]): void;
}

/** The least serious line `config.logger` receives; `'silent'` turns Apogee's logging off. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The levels in increasing seriousness, as `config.logLevel` orders them. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
