import { ApogeeError } from './ApogeeError';

/** A list item: continuation lines of a multi-line problem stay under their dash. */
const item = (problem: string): string => `  - ${problem.split('\n').join('\n    ')}`;

/**
 * Decorators or registration options were used in a way Apogee cannot honour. Raised when the
 * classes, tasks, conditions or providers are registered (or when `app.run()` checks what
 * conditions refer to), listing every problem found at once; nothing is registered then.
 * Problems that were errors of their own (a `ConditionSyntaxError`, a `ConfigurationError`,
 * an `UnknownTaskError`) are listed by their message and kept in `errors`; the first is `cause`.
 *
 * @example
 * ```ts
 * try { app.register(Jobs); } catch (e) { if (e instanceof DecoratorUsageError) console.log(e.problems); }
 * ```
 */
export class DecoratorUsageError extends ApogeeError {
  /** One message per problem, each naming decorator (or option), class, member and index. */
  readonly problems: readonly string[];
  /** The problems that were errors of their own, in the order listed. */
  readonly errors: readonly ApogeeError[];

  constructor(problems: readonly string[], errors: readonly ApogeeError[] = []) {
    super(
      'DECORATOR_USAGE',
      `Registration found ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n` +
        problems.map(item).join('\n'),
      { input: problems, ...(errors[0] === undefined ? {} : { cause: errors[0] }) },
    );
    this.problems = problems;
    this.errors = errors;
  }
}
