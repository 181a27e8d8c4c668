import type { Condition } from '../conditions/Condition';
import type { Execution } from '../metadata/TaskOptions';
import type { Duration } from '../time/Duration';

/**
 * Scheduler-wide settings (`new App({ config })`).
 *
 * @example
 * ```ts
 * new App({ config: { timezone: 'Europe/Helsinki', timeout: '10 minutes' } });
 * ```
 */
export interface AppConfig {
  /** Default execution of tasks. Default `'async'`. */
  readonly execution?: Execution;
  /** Stop the scheduler when this becomes true. */
  readonly shutdownWhen?: Condition | string;
  /** Default run timeout. Default 30 minutes. */
  readonly timeout?: Duration | 'never';
  /** Default for tasks' `multilaunch`. Default false. */
  readonly multilaunch?: boolean;
  /** Terminate live runs at shutdown instead of waiting for them. */
  readonly instantShutdown?: boolean;
  /** IANA time zone for every time condition. Default: the process's local zone. */
  readonly timezone?: string;
  /** Cap on concurrent child-process runs (process execution). Default: number of cores. */
  readonly maxProcesses?: number;
  /** Cap on concurrent worker-thread runs (thread execution). Default: number of cores. */
  readonly maxThreads?: number;
}
