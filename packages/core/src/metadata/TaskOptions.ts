import type { Condition } from '../conditions/Condition';
import type { Parameters } from '../params/levels';
import type { Duration } from '../time/Duration';

/**
 * Where a task's code runs. `main` blocks the scheduler while it runs; `async` does not; `queue`
 * makes each run a job that any instance's worker may take (needs `...bullmq()` from `@apogee/bullmq`).
 */
export type Execution = 'main' | 'async' | 'thread' | 'process' | 'queue';

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
  /** A disabled task does not start on its condition, but still runs its batches. */
  readonly disabled?: boolean;
  /** Allow a new run while one is still going. Default: `config.multilaunch` (false). */
  readonly multilaunch?: boolean;
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
