import type { Calendar } from '../../time/Calendar';
import type { Condition } from '../../conditions/Condition';
import type { TaskTarget } from '../../execution/remote/protocol';
import type { Catchup, Execution, Overlap } from '../../metadata/TaskOptions';
import type { Parameters } from '../../params/levels';
import type { Signature } from '../../params/Signature';

/** A registered task with its options settled: what the scheduler runs. */
export interface TaskDefinition {
  readonly name: string;
  /** `Class.method` (or the task's name for the no-decorator form), for messages. */
  readonly owner: string;
  readonly start: Condition;
  readonly end: Condition | undefined;
  readonly parameters: Parameters;
  readonly execution: Execution;
  /** Where a worker finds the task's code (`thread` and `process` execution). */
  readonly target: TaskTarget | undefined;
  readonly priority: number;
  /** Milliseconds; `Infinity` for none. */
  readonly timeout: number;
  /** `overlap === 'allow'`. */
  readonly multilaunch: boolean;
  readonly overlap: Overlap;
  readonly catchup: Catchup;
  /** Milliseconds. */
  readonly catchupWindow: number;
  /** Milliseconds; 0 for none. */
  readonly jitter: number;
  /** The task's own zone (`timezone` option), or `undefined` for the app's. */
  readonly timezone?: string;
  /** The calendar of `timezone`, or `undefined` for the app's. */
  readonly calendar?: Calendar;
  /** Failures in a row that disable the task; `Infinity` for never. */
  readonly pauseAfterFailures: number;
  /** Most queued batches; `task.run()` throws `QueueFullError` beyond. */
  readonly maxBatches: number;
  readonly onStartup: boolean;
  readonly onShutdown: boolean;
  readonly permanent: boolean;
  readonly disabled: boolean;
  /** What its parameters receive, compiled at registration. */
  readonly signature: Signature;
  /** Calls the task's code with resolved arguments. */
  readonly invoke: (args: unknown[]) => unknown;
}
