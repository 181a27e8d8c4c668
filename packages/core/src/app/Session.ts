import { UnknownTaskError } from '../errors/UnknownTaskError';
import type { LiveRun } from '../execution/LiveRun';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { SessionState } from './SessionState';

/** What the session needs to predict runs and list live ones (the scheduler). */
export interface Predictor {
  upcoming(n: number): { taskName: string; at: Date }[];
  liveRuns(task?: ScheduledTask): LiveRun[];
}

/**
 * The app's tasks and last return values (`app.session`), read-only: tasks are added through
 * the app, session parameters with `app.params(...)`.
 *
 * @example
 * ```ts
 * const fetch = app.session.get('fetch');
 * console.log(app.session.returns.get('fetch'), app.session.upcoming(5));
 * ```
 */
export class Session {
  /** @internal Built by the app over its session state. */
  constructor(
    private readonly state: SessionState,
    private readonly predictor: Predictor,
  ) {
    state.sessionRef = this;
  }

  /** The task called `name`; an `UnknownTaskError` listing close names if there is none. */
  get(name: string): ScheduledTask {
    const task = this.state.findTask(name);
    if (task === undefined) throw new UnknownTaskError(name, this.state.taskNames());
    return task;
  }

  /** The task called `name`, or `undefined` when there is none. */
  findTask(name: string): ScheduledTask | undefined {
    return this.state.findTask(name);
  }

  /** Every task name, in registration order. */
  taskNames(): Iterable<string> {
    return this.state.taskNames();
  }

  /** Every task, in registration order. */
  get tasks(): readonly ScheduledTask[] {
    return this.state.tasks;
  }

  /** Last successful return value per task name. */
  get returns(): ReadonlyMap<string, unknown> {
    return this.state.returns;
  }

  /**
   * Runs under way, oldest first: of the task called `taskName`, or of every task. Each has its id,
   * its start and the last progress it reported (`@Progress()`). None for a name no task has.
   */
  liveRuns(taskName?: string): LiveRun[] {
    if (taskName === undefined) return this.predictor.liveRuns();
    const task = this.state.findTask(taskName);
    return task === undefined ? [] : this.predictor.liveRuns(task);
  }

  /** The next `n` predicted runs across all tasks, soonest first. */
  upcoming(n: number): { taskName: string; at: Date }[] {
    return this.predictor.upcoming(n);
  }
}
