import { ApogeeError } from './ApogeeError';
import { didYouMean } from './closeNames';

/** A task name that the session does not have. The message lists close names. */
export class UnknownTaskError extends ApogeeError {
  constructor(name: string, known: Iterable<string>, usedBy?: string) {
    const names = [...known];
    super(
      'UNKNOWN_TASK',
      `Unknown task "${name}"${usedBy === undefined ? '' : ` (referred to by ${usedBy})`}.` +
        didYouMean(name, names) +
        (names.length === 0
          ? ' The session has no tasks yet: register them first.'
          : ` Known tasks: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}.`),
      { input: name },
    );
  }
}
