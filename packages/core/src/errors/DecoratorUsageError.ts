import { ApogeeError } from './ApogeeError';

/**
 * Decorators were used in a way Apogee cannot honour. Raised when the classes are registered,
 * listing every problem found (class, member and parameter index for each).
 */
export class DecoratorUsageError extends ApogeeError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      'DECORATOR_USAGE',
      `${problems.length === 1 ? 'A decorator is' : `${problems.length} decorators are`} misused:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      { input: problems },
    );
    this.problems = problems;
  }
}
