import { ApogeeError } from './ApogeeError';

/** Where a value was headed when it could not be cloned (or, for a queue job, written as JSON). */
export type Destination = 'thread' | 'process' | 'queue';

const PLACE: Record<Destination, string> = {
  thread: 'worker thread',
  process: 'child process',
  queue: 'queue job',
};

const RULES: Record<'clone' | 'json', string> = {
  clone:
    `Values cross to a thread or process as structured clones: primitives, plain objects, arrays, Date, ` +
    `RegExp, Map, Set, ArrayBuffer, typed arrays and Errors cross; functions, symbols, sockets and ` +
    `instances of other classes do not.\n` +
    `Fix: pass plain data (an id, a path, a config object) and build the rest inside the task, or run ` +
    `the task with execution 'async'.`,
  json:
    `Values cross a queue as JSON, between processes and machines: strings, finite numbers, booleans, ` +
    `null, Dates, and plain objects and arrays of those cross; BigInt, functions, class instances, ` +
    `undefined inside arrays and cycles do not.\n` +
    `Fix: pass plain data (an id, a path, a config object) and build the rest inside the task, or run ` +
    `the task with another execution.`,
};

/**
 * A value cannot cross to (or back from) a `thread`, `process` or `queue` run: a function, a
 * symbol, a socket, or a class instance that would arrive without its prototype (for a queue,
 * anything that is not JSON or a `Date`). Raised before the run
 * starts (for arguments) or when it returns (for its return value); the run is recorded as `fail`.
 */
export class SerializationError extends ApogeeError {
  /** Where inside the value the problem sits, e.g. `config.handlers[2]`. */
  readonly path: string;

  constructor(taskName: string, key: string, path: string, problem: string, destination: Destination) {
    const place = PLACE[destination];
    const what =
      key === 'return value'
        ? `its return value cannot be sent back from its ${place}`
        : `parameter "${key}" cannot be sent to its ${place}`;
    super(
      'NOT_SERIALIZABLE',
      `Task "${taskName}": ${what}: ${path} is ${problem}.\n` +
        RULES[destination === 'queue' ? 'json' : 'clone'],
      { taskName, key, input: path },
    );
    this.path = path;
  }
}
