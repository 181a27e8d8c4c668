import type { Condition } from '../conditions/Condition';
import type { Parameters } from '../params/levels';
import type { Duration } from '../time/Duration';

/**
 * Where a task's code runs. `main` blocks the scheduler while it runs; `async` does not; `queue`
 * makes each run a job that any instance's worker may take (needs `...bullmq()` from `@apogee/bullmq`).
 */
export type Execution = 'main' | 'async' | 'thread' | 'process' | 'queue';

/**
 * What happens when a task is due while one of its runs is live (see the README, "Policies").
 * `'skip'`: not started; a due instant that passes while the run is live is counted in
 * `task.skipped` and emitted as `taskSkipped`. `'queue'`: one run waits and starts when the live
 * one ends; further due instants merge into it (counted and emitted as skipped, reason
 * `'merged'`). `'replace'`: the live run is terminated and a new one starts. `'allow'`: runs
 * overlap (what `multilaunch: true` means).
 */
export type Overlap = 'skip' | 'queue' | 'replace' | 'allow';

/**
 * What a `cron` start does about its instants missed while no process ran the app (read from a
 * persistent run log): `'none'`, `'latest'` (one run, for the latest missed instant) or `'all'`
 * (one run per missed instant, oldest first).
 */
export type Catchup = 'none' | 'latest' | 'all';

/**
 * How a task is scheduled and run. Every field is optional.
 *
 * @example
 * ```ts
 * const options: TaskOptions = { start: 'every 10 seconds', priority: 5, timeout: '1 minute' };
 * ```
 */
export interface TaskOptions {
  /** Unique name. Default: the method name, or the class name for a class task. */
  readonly name?: string;
  /** When to run. Default: never (run only through `task.run()`). */
  readonly start?: Condition | string;
  /** Terminate running runs when this becomes true. */
  readonly end?: Condition | string;
  /** Task-level parameters. */
  readonly parameters?: Parameters;
  /** Default: `config.execution`, itself `'async'` by default. */
  readonly execution?: Execution;
  /** Higher starts first when several tasks are due together; ties go by registration order. */
  readonly priority?: number;
  /** Terminate a run that takes longer. Default: `config.timeout` (30 minutes). */
  readonly timeout?: Duration | 'never';
  /**
   * A disabled task does not start on its condition, but still runs its batches. A state stored
   * in the run log by `task.disable()` / `task.enable()` wins over this.
   */
  readonly disabled?: boolean;
  /**
   * Allow a new run while one is still going. Default: `config.multilaunch` (false). The older
   * name of `overlap: 'allow'`: `true` is `'allow'`, `false` is `'skip'`; `overlap` wins when both
   * are set, and a contradiction (`multilaunch: true` with another `overlap`) is an error.
   */
  readonly multilaunch?: boolean;
  /** When the task is due while a run is live. Default: `config.overlap`, itself `'skip'`. */
  readonly overlap?: Overlap;
  /** Runs for `cron` instants missed while the app was down. Default: `config.catchup`, itself `'none'`. */
  readonly catchup?: Catchup;
  /** How far back missed instants count. Default: `config.catchupWindow`, itself `'1 day'`. */
  readonly catchupWindow?: Duration;
  /**
   * Each run the start condition starts (not batches) begins after a random delay of up to this.
   * `task.nextRun()` and `upcoming()` report the due instant until it comes, then the drawn
   * instant; `@ScheduledAt()` stays the due instant. Default: `config.jitter`, itself none.
   */
  readonly jitter?: Duration;
  /**
   * The IANA time zone (`'America/New_York'`) this task's `cron` and period conditions
   * (`daily.at(...)`, `timeOfDay...`, `has succeeded today`) read wall-clock time in.
   * Default: `config.timezone`, itself the process's local zone.
   */
  readonly timezone?: string;
  /**
   * Disable the task (`task.disable()`, persisted in the run log) after this many failures in a
   * row, emitting `taskPaused`. Default: `config.pauseAfterFailures`, itself never.
   */
  readonly pauseAfterFailures?: number;
  /**
   * Whether a run recorded `crash` (its process died, or was silent past its lease, while it ran)
   * leaves its period open, so that `daily`, `hourly`... start the task again in the same period,
   * as Rocketry does. By default a crashed run counts as its period's run (and, for `cron` and
   * `every`, its due instant's), so nothing runs twice. Default: `config.rerunCrashed`, itself
   * `false`. Combine with `retry(n)` for failures.
   */
  readonly rerunCrashed?: boolean;
  /** Run once when the scheduler starts, before anything else. */
  readonly onStartup?: boolean;
  /** Run once when the scheduler shuts down. */
  readonly onShutdown?: boolean;
  /** Never timed out; terminated at shutdown instead of waited for. */
  readonly permanent?: boolean;
  /**
   * Most runs that may wait in the task's queue (`task.run(params)`); one more throws
   * `QueueFullError`. Default: `config.maxBatches` (1000).
   */
  readonly maxBatches?: number;
  /** The module that declares the task, for thread and process execution. */
  readonly module?: string;
}
