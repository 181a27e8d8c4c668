import type { RunAction } from './runActions';
import type { Calendar } from '../time/Calendar';
import type { TimePeriod } from './time/TimePeriod';

/**
 * What task-state conditions read about one task: the last time of each action and a few
 * counters, kept up to date as records are written, so a check costs the same however long
 * the history is.
 */
export interface TaskStateView {
  /** The last action recorded for the task, or `undefined` if it never ran. */
  readonly status: RunAction | undefined;
  /** When the task last started, in ms since the epoch; `undefined` if never. */
  readonly lastRun: number | undefined;
  /**
   * The latest instant a run of the task was due for (its `scheduledAt`, else its start), ms since
   * the epoch: what `cron(...)` compares with its slot, so a late run (a catch-up, a failover gap's)
   * counts for its own slot, not the one it started in. `undefined` where only `lastRun` is known.
   */
  readonly lastDue?: number | undefined;
  /** When the task last succeeded, in ms since the epoch; `undefined` if never. */
  readonly lastSuccess: number | undefined;
  /** When the task last failed, in ms since the epoch; `undefined` if never. */
  readonly lastFail: number | undefined;
  /** When the task was last terminated, in ms since the epoch; `undefined` if never. */
  readonly lastTerminate: number | undefined;
  /** When the task last finished with inaction, in ms since the epoch; `undefined` if never. */
  readonly lastInaction: number | undefined;
  /** When a run of the task last crashed, in ms since the epoch; `undefined` if never. */
  readonly lastCrash: number | undefined;
  /** Fails since the last success, inaction, termination or crash. */
  readonly consecutiveFails: number;
  /** Live runs. */
  readonly running: number;
  /**
   * Write order of the last record of each action (a counter, not a time), so that "did B
   * succeed after A started" is exact even when both happen in the same millisecond.
   */
  readonly sequence: Readonly<Partial<Record<RunAction, number>>>;
}

/** Answers a `cron(...)` condition needs; one parsed pattern is shared per expression. */
export interface CronSchedule {
  /** Whether the minute (or second, for six fields) starting at `instant` matches. */
  matches(instant: number): boolean;
  /** The first matching instant strictly after `instant`, or `Infinity`. */
  nextAfter(instant: number): number;
  /** The pattern's resolution in ms: 1000 with a seconds field, else 60 000. */
  readonly resolution: number;
}

/**
 * Everything a condition may read when checked. The scheduler provides it; conditions never
 * import the scheduler.
 */
export interface ConditionContext {
  /** The instant of the check, in ms since the epoch. */
  readonly now: number;
  /** The app's calendar (its timezone): turns wall-clock fields into instants and back. */
  readonly calendar: Calendar;
  /** The task being checked (`undefined` for `shutdownWhen`). */
  readonly taskName: string | undefined;
  /**
   * Whether a crashed run of the checked task leaves its period open (its `rerunCrashed` option);
   * absent or false: a crashed run counts as its period's run.
   */
  readonly rerunsCrashed?: boolean;
  /** The current state of the task named `taskName`. */
  state(taskName: string): TaskStateView;
  /**
   * The latest record of one of `actions` by `taskName` that fell inside an occurrence of
   * `period` (read in this context's calendar), or `undefined`: what a restricted status
   * condition needs beyond the last record of each action.
   */
  lastInside(taskName: string, actions: readonly RunAction[], period: TimePeriod): number | undefined;
  /** When the scheduler started, in ms since the epoch; `undefined` before it starts. */
  readonly schedulerStartedAt: number | undefined;
  /** Completed scheduler passes. */
  readonly cycles: number;
  /** The parsed schedule for a cron `expression`, in the scheduler's time zone. */
  cron(expression: string): CronSchedule;
  /** Evaluates a custom (`@Cond`) condition with its bound arguments. */
  custom(name: string, args: readonly unknown[]): Promise<boolean>;
  /** The poll interval of a custom condition, in ms. */
  customPoll(name: string): number;
  /** A session parameter's stored value (not computed), for `param '...' is '...'`. */
  sessionParameter(key: string): { readonly exists: boolean; readonly value: unknown };
  /** Emissions of `source` waiting for the checked task. */
  pendingEmissions(source: object): number;
}
