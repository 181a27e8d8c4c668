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
  /**
   * Time limit of one condition check (a custom condition, or a `Condition` whose check is
   * asynchronous). A check over it counts as false and emits `conditionFailed` with a
   * `ConditionTimeoutError`; other tasks never wait for it. Default 10 seconds; per condition
   * with `@Cond({ timeout })` or `app.cond({ timeout })`.
   */
  readonly conditionTimeout?: Duration;
  /**
   * What happens to an error that escapes every task while `app.run()` runs (a throw in a timer a
   * task left behind, a promise it never awaited). `'report'` (the default): emitted as an
   * `uncaughtError` event, and the scheduler keeps running. `'exit'`: Node's default, the process
   * prints it and exits.
   */
  readonly uncaughtErrors?: 'report' | 'exit';
  /** Default for tasks' `maxBatches`: most queued runs per task before `task.run()` throws `QueueFullError`. Default 1000. */
  readonly maxBatches?: number;
  /** Terminate live runs at shutdown instead of waiting for them. */
  readonly instantShutdown?: boolean;
  /** IANA time zone for every time condition. Default: the process's local zone. */
  readonly timezone?: string;
  /** Cap on concurrent child-process runs (process execution). Default: number of cores. */
  readonly maxProcesses?: number;
  /** Cap on concurrent worker-thread runs (thread execution). Default: number of cores. */
  readonly maxThreads?: number;
  /**
   * Start runs on their due instant to a fraction of a millisecond, at a cost to everything
   * else in the process. Default false.
   *
   * By default the scheduler's one timer is armed for the due instant itself and never blocks
   * the event loop: a timer that fires while `Date.now()` still reads the millisecond before is
   * armed again for the rest, so runs start within about 1–2 ms of their instant (more on a
   * loaded event loop). With `preciseTiming: true` the timer is armed 3 ms early and the
   * scheduler then blocks the event loop until the instant (it sleeps in `Atomics.wait`, then
   * spins through the last millisecond): runs start within about 0.5 ms, but nothing else in the
   * process (HTTP requests, I/O callbacks, other timers) runs for about 3 ms, up to 6 ms, before
   * each due instant. Worth it in a process that does nothing but schedule; not in a web server.
   * Under fake timers or an injected clock there is never a busy-wait.
   */
  readonly preciseTiming?: boolean;
}
