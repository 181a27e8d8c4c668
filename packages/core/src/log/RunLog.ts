import type { ApogeeLogger } from '../logging/ApogeeLogger';
import type { RunAction } from '../conditions/runActions';
import type { StoreFailure } from '../store/StoreFailure';
import type { OutputLine } from './OutputLine';
import type { RunQuery, RunRecord } from './RunRecord';

/**
 * One task's state as a persistent log remembers it: enough for conditions (`daily`,
 * `afterSuccess`, `retry`) and `Return` to carry on as if the process had never stopped.
 */
export interface RestoredTask {
  /** The task's name. */
  readonly taskName: string;
  /** The last action recorded, or `undefined` if the task never ran. */
  readonly status: RunAction | undefined;
  /** When each action last happened, and its write order (any increasing number). */
  readonly last: Readonly<Partial<Record<RunAction, { readonly at: Date; readonly sequence: number }>>>;
  /** Fails since the last success, inaction, termination or crash. */
  readonly consecutiveFails: number;
  /** The last successful return value, when one was stored. */
  readonly returnValue?: { readonly value: unknown };
}

/** What the app tells a log's `restore()`. */
export interface RestoreOptions {
  /**
   * Runs that may be open in the log but still execute elsewhere (`queue` jobs waiting, or running
   * on another instance's worker): the app adopts them, so they are not to be recorded `crash`.
   */
  readonly alive?: ReadonlySet<string>;
}

/**
 * Where run records go. The scheduler keeps its own index of each task's last records, so a
 * log is only written to (and read back for history); plug a persistent one in with
 * `new App({ log })`.
 */
export interface RunLog {
  /** Store one record. A rejected promise is reported, never fatal to the scheduler. */
  append(record: RunRecord): void | Promise<void>;
  /**
   * Stored records, oldest first. A query filters them and may ask for one page: the newest
   * `limit` matches after skipping the newest `offset`, counted from the newest record or from
   * the cursor `before` (see {@link RunQuery}). A log answers `before` from its index: a walk back
   * through a long history costs each page its size, however deep it goes.
   */
  records(query?: RunQuery): Promise<RunRecord[]>;
  /**
   * Stores more lines of run `runId`'s own output (`@RunLogger()`, a worker's console), after the
   * lines stored for it before. The scheduler bounds each run's output and sends a live run's
   * lines in batches while it runs. The lines are kept as long as the run's records and removed
   * with them. A rejected promise is reported as a warning, never fatal. Optional, with `output`:
   * a log without them has its run output kept in the app's memory instead (its last 1,000 runs),
   * with a warning naming the log's class.
   */
  appendOutput?(runId: string, taskName: string, lines: readonly OutputLine[]): void | Promise<void>;
  /**
   * The output stored for run `runId`, oldest first; empty for a run that wrote none, or whose
   * records the log no longer keeps. A live run's output is readable while it runs (its lines
   * arrive in batches, so the newest may be missing for a moment).
   *
   * @example
   * ```ts
   * for (const line of await app.logs.output(runId)) console.log(line.level, line.message);
   * ```
   */
  output?(runId: string): Promise<OutputLine[]>;
  /**
   * For persistent logs: the state of every task it knows, read when the app starts. Runs left
   * open by a previous process are to be recorded as `crash` first.
   */
  restore?(options?: RestoreOptions): RestoredTask[] | Promise<RestoredTask[]>;
  /**
   * For logs that several processes share: records as `crash` the open runs of processes that are
   * gone (their heartbeat lapsed), except those in `alive`, and returns their run ids. The leader
   * calls it once per renewal interval, so a run left open by a process that died while another
   * led is ended within about a heartbeat and an interval, not at the next restore. Checks only
   * the owners of open runs: cheap while every owner lives.
   */
  sweepCrashed?(alive?: ReadonlySet<string>): Promise<readonly string[]>;
  /**
   * For logs that one running app owns (such as `SqliteRunLog`, whose `restore()` takes the file):
   * gives that ownership up, keeping the log readable. Called when the app shuts down; the next
   * `restore()` takes it again.
   */
  release?(): void | Promise<void>;
  /**
   * For logs that outlive the process (and logs shared by replicas): stores that `taskName` was
   * disabled (`true`) or enabled again (`false`) through `task.disable()`, `task.enable()`, the
   * `task.disabled` setter or `pauseAfterFailures`. Called on every such change, in order; the
   * last call per task is what {@link RunLog.disabledTasks} returns. A rejected promise is
   * reported as a warning, never fatal. Without this method a pause lasts as long as the process.
   */
  setDisabled?(taskName: string, disabled: boolean): void | Promise<void>;
  /**
   * The last state each task was given through {@link RunLog.setDisabled} (tasks never given one
   * are absent), read when the app starts, after `restore()`. A stored state wins over the task's
   * `disabled` option in code.
   */
  disabledTasks?(): ReadonlyMap<string, boolean> | Promise<ReadonlyMap<string, boolean>>;
  /**
   * For logs that warn (a shared store's bad values, lost connections): from now on warnings go
   * to `logger`, the app's `config.logger` at its level. Called when the log is given to an app.
   */
  useLogger?(logger: ApogeeLogger): void;
  /**
   * For logs that several processes share: calls `listener` with each record another process
   * stores, while the app runs, so that a process that does not lead shows the shared state
   * (`task.status`, `lastRun`, return values). Returns what stops that, once every record stored
   * from then on will reach `listener`: the app starts watching before it restores, so that no
   * record falls between the two. A log that cannot read back what it missed while its connection
   * was lost (Redis pub/sub) calls `missed` once it is back: the app then reads the task states
   * again, as at its start.
   */
  watch?(listener: (record: RunRecord) => void, missed?: () => void): (() => void) | Promise<() => void>;
  /**
   * For logs in a store that can fail while the app runs: the last operation on it that failed
   * (shown by `app.status` and `GET /readyz`), `undefined` while none has.
   */
  readonly lastStoreError?: StoreFailure | undefined;
}
