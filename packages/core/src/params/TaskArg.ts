import { NoValueError } from '../errors/NoValueError';
import { UnknownTaskError } from '../errors/UnknownTaskError';
import { Argument } from './Argument';
import type { ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';
import type { RunContext } from './RunContext';

const FIX = "Fix: pass what the task needs from it as parameters (@Arg('key')), or use execution 'async'.";

/**
 * The current task is the run's view of itself, made where the run executes; only the scheduler's
 * process holds a task object (its state, batches and history are the scheduler's).
 */
const CURRENT: ArgumentPlacement = Object.freeze({
  produced: 'executing',
  inProcessOnly: `the task object lives in the scheduler's process, and a worker has no faithful copy of it. ${FIX}`,
});

const NAMED: ArgumentPlacement = Object.freeze({
  produced: 'scheduled',
  inProcessOnly: `a task object lives in the scheduler's process and cannot be sent to a worker. ${FIX}`,
});

/**
 * A task object: the one being run or checked (no name), or the named one.
 *
 * @example
 * ```ts
 * new TaskArg()          // the consumer
 * new TaskArg('fetch')   // another task
 * ```
 */
export class TaskArg extends Argument {
  constructor(
    /** The task to inject, or `undefined` for the task being run or checked. */
    readonly name?: string,
  ) {
    super();
  }
  /** `'CurrentTask'`, or `Task(name)` for another task. */
  get label(): string {
    return this.name === undefined ? 'CurrentTask' : `Task(${this.name})`;
  }
  /** The current task is made where the run executes, another task resolved where it is scheduled; neither reaches a worker. */
  override get placement(): ArgumentPlacement {
    return this.name === undefined ? CURRENT : NAMED;
  }
  /** The task being run or checked, where the scheduler's process runs it. */
  override produce(run: RunContext): unknown {
    if (run.task === undefined)
      throw new NoValueError('No task is being run or checked here, so there is no current task.');
    return run.task;
  }
  /** The current task, or the scheduled task named `name`; throws `UnknownTaskError` if there is none. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    if (this.name === undefined) return this.produce(scope.execution);
    const task = scope.host.findTask(this.name);
    if (task === undefined) throw new UnknownTaskError(this.name, scope.host.taskNames());
    return task;
  }
}
