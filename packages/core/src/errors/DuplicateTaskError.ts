import { ApogeeError } from './ApogeeError';

/** Two tasks were given the same name. Every duplicate is listed. */
export class DuplicateTaskError extends ApogeeError {
  /** One line per duplicate: the name and both places that declare it. */
  readonly duplicates: readonly string[];

  constructor(duplicates: readonly string[]) {
    super(
      'DUPLICATE_TASK',
      `Task names must be unique; ${duplicates.length === 1 ? 'one is' : `${duplicates.length} are`} taken twice:\n` +
        duplicates.map((d) => `  - ${d}`).join('\n') +
        `\nFix: give one of each pair another name with @Task({ name: '...' }).`,
      { input: duplicates },
    );
    this.duplicates = duplicates;
  }
}
