import type { ApogeeError } from '../../errors/ApogeeError';
import { DecoratorUsageError } from '../../errors/DecoratorUsageError';
import { DuplicateTaskError } from '../../errors/DuplicateTaskError';
import type { RegistrationProblem } from './RegistrationProblem';

/** How one problem reads in a combined list. */
function describe(problem: RegistrationProblem): string {
  switch (problem.kind) {
    case 'usage':
      return problem.message;
    case 'duplicate':
      return `Task name ${problem.message}; task names must be unique: give one of them another name.`;
    case 'error':
      return problem.error.message;
  }
}

/**
 * The one error that reports `problems`, or `undefined` when there are none. The rule:
 * - every problem a duplicate task name: a `DuplicateTaskError` listing each one;
 * - a single problem that is an error of its own (`ConditionSyntaxError`, `ConfigurationError`,
 *   `UnknownTaskError`, `UnknownConditionError`): that error, as it was raised;
 * - anything else: one `DecoratorUsageError` whose `problems` lists every problem's message
 *   (an error's full message included), whose `errors` holds the errors among them, and whose
 *   `cause` is the first of those.
 */
export function registrationError(problems: readonly RegistrationProblem[]): ApogeeError | undefined {
  if (problems.length === 0) return undefined;
  if (problems.every((p) => p.kind === 'duplicate'))
    return new DuplicateTaskError(problems.map((p) => p.message));
  const [only] = problems;
  if (problems.length === 1 && only?.kind === 'error') return only.error;
  const errors = problems.flatMap((p) => (p.kind === 'error' ? [p.error] : []));
  return new DecoratorUsageError(problems.map(describe), errors);
}

/** Throws the error {@link registrationError} makes of `problems`, if any. */
export function throwProblems(problems: readonly RegistrationProblem[]): void {
  const error = registrationError(problems);
  if (error !== undefined) throw error;
}
