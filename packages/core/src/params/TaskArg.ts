import { NoValueError } from '../errors/NoValueError';
import { UnknownTaskError } from '../errors/UnknownTaskError';
import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

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
  constructor(readonly name?: string) {
    super();
  }
  get label(): string {
    return this.name === undefined ? 'CurrentTask' : `Task(${this.name})`;
  }
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    if (this.name === undefined) {
      if (scope.task === undefined)
        throw new NoValueError('No task is being run or checked here, so there is no current task.');
      return scope.task;
    }
    const task = scope.host.findTask(this.name);
    if (task === undefined) throw new UnknownTaskError(this.name, scope.host.taskNames());
    return task;
  }
}
