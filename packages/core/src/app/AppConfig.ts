import type { Condition } from '../conditions/Condition';
import type { Catchup, Execution, Overlap } from '../metadata/TaskOptions';
import type { ApogeeLogger, LogLevel } from '../logging/ApogeeLogger';
import type { OutputLimits } from '../output/OutputLimits';
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
  /** Default for tasks' `multilaunch` (the older name of `overlap: 'allow'`). Default false. */
  readonly multilaunch?: boolean;
  /** Default for tasks' `overlap`. Default `'skip'` (`'allow'` when `multilaunch` is true). */
  readonly overlap?: Overlap;
  /** Default for tasks' `catchup`. Default `'none'`. */
  readonly catchup?: Catchup;
  /** Default for tasks' `catchupWindow`. Default `'1 day'`. */
  readonly catchupWindow?: Duration;
  /** Default for tasks' `jitter`. Default none. */
  readonly jitter?: Duration;
  /** Default for tasks' `pauseAfterFailures`. Default: never paused. */
  readonly pauseAfterFailures?: number;
  /** Default for tasks' `rerunCrashed`. Default `false`: a crashed run counts as its period's run. */
  readonly rerunCrashed?: boolean;
  /**
   * The least time between two runs of one task that its start condition (not a batch) starts.
   * A condition that stays true after a run starts (`timeOfDay.between('08:00', '20:00')`,
   * `always`) would otherwise start runs back to back as fast as the CPU allows; with the gap
   * each re-run waits for a timer, so I/O and other tasks run in between, and the rate is at most
   * one run per gap. Default 1 ms (at most 1,000 runs a second).
   */
  readonly minRunGap?: Duration;
  /**
   * Where Apogee's own log lines go: each failed, crashed or timed-out run (task, run id, error
   * with its stack and cause chain) as one error line, leadership changes, paused tasks and
   * warnings (one line per cause per minute, with a count). Any object with
   * `debug/info/warn/error(message, ...rest)`: the console, pino, Nest's `Logger`. Structured
   * fields (`task`, `runId`, `code`...) travel as the second argument. Default: the console
   * (under `@apogee/nestjs`, Nest's `Logger`).
   */
  readonly logger?: ApogeeLogger;
  /** The least serious line `logger` receives. Default `'info'`; `'silent'` turns Apogee's logging off. */
  readonly logLevel?: LogLevel;
  /** How much of its own output each run keeps (`@RunLogger()`, a worker's console). Default 1,000 lines / 256 KiB. */
  readonly runOutput?: OutputLimits;
  /**
   * Receives warnings about the app's setup, such as a start condition with no edge (see
   * {@link ApogeeWarning}). Default: a warning line through `logger`.
   */
  readonly onWarning?: (warning: ApogeeWarning) => void;
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
   * the event loop: a timer that fires while `Date.now()` still reads the millisecond before
   * waits out the rest in event-loop turns (`setImmediate`: I/O and other timers run between
   * them), so runs start within about a millisecond of their instant (more on a loaded event
   * loop). With `preciseTiming: true` the timer is armed 3 ms early and the
   * scheduler then blocks the event loop until the instant (it sleeps in `Atomics.wait`, then
   * spins through the last millisecond): runs start within about 0.5 ms, but nothing else in the
   * process (HTTP requests, I/O callbacks, other timers) runs for about 3 ms, up to 6 ms, before
   * each due instant. Worth it in a process that does nothing but schedule; not in a web server.
   * Under fake timers or an injected clock there is never a busy-wait.
   */
  readonly preciseTiming?: boolean;
}

/**
 * Something in the app's setup that works but is probably not meant, reported through
 * `AppConfig.onWarning` when a task is registered.
 *
 * `'APOGEE_NO_EDGE'`: the task's start condition depends on nothing that changes when the task
 * runs (a window such as `timeOfDay.between('08:00', '20:00')`, `always`, another task's
 * `running`), so while it holds the task re-runs back to back, at most once per
 * `config.minRunGap`. Combine it with a condition that a run turns false: `every('10 minutes')`,
 * a period (`daily.between(...)`), `cron(...)`.
 */
export interface ApogeeWarning {
  /** What kind of warning it is (also the code of the default process warning). */
  readonly code: 'APOGEE_NO_EDGE' | 'APOGEE_BACKFILL_BEYOND_LOG' | 'APOGEE_INSTRUMENTATION';
  /** The task it is about. */
  readonly taskName: string;
  /** What was found, what it does and how to fix it, in a sentence or three. */
  readonly message: string;
}
