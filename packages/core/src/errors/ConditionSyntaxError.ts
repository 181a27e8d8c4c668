import { ApogeeError } from './ApogeeError';

/** A condition string that does not parse, or names a custom condition nobody registered. */
export class ConditionSyntaxError extends ApogeeError {
  /** Zero-based offset in the input where the problem starts. */
  readonly position: number;

  constructor(input: string, position: number, problem: string, hint = '') {
    const caret = `${' '.repeat(position)}^`;
    super(
      'CONDITION_SYNTAX',
      `Cannot parse condition "${input}" at position ${position}: ${problem}.\n  ${input}\n  ${caret}${hint === '' ? '' : `\n${hint}`}`,
      { input },
    );
    this.position = position;
  }
}
