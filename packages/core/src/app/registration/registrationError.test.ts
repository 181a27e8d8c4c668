import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { DecoratorUsageError } from '../../errors/DecoratorUsageError';
import { DuplicateTaskError } from '../../errors/DuplicateTaskError';
import { UnknownTaskError } from '../../errors/UnknownTaskError';
import { registrationError, throwProblems } from './registrationError';
import type { RegistrationProblem } from './RegistrationProblem';

const syntax = new ConditionSyntaxError('evry 1 s', 0, 'no such condition');
const unknown = new UnknownTaskError('fecth', ['fetch'], 'task "load"');

describe('registrationError', () => {
  it('is undefined without problems, and throwProblems then does nothing', () => {
    expect(registrationError([])).toBeUndefined();
    expect(() => {
      throwProblems([]);
    }).not.toThrow();
  });

  it('throws a lone error problem as it was raised', () => {
    expect(registrationError([{ kind: 'error', error: syntax }])).toBe(syntax);
    expect(() => {
      throwProblems([{ kind: 'error', error: unknown }]);
    }).toThrow(unknown);
  });

  it('makes one DuplicateTaskError of problems that are all duplicate names', () => {
    const error = registrationError([
      { kind: 'duplicate', message: '"a": declared by A.a and by B.a' },
      { kind: 'duplicate', message: '"b": declared by A.b and by B.b' },
    ]);
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect((error as DuplicateTaskError).duplicates).toHaveLength(2);
  });

  it('lists anything else in one DecoratorUsageError, errors kept in order and the first as cause', () => {
    const timeout = new ConfigurationError('Task "x" timeout', 'soon', 'a duration');
    const problems: RegistrationProblem[] = [
      { kind: 'usage', message: 'X.run parameter #0 has no parameter decorator' },
      { kind: 'error', error: syntax },
      { kind: 'duplicate', message: '"x": declared by X.run and by Y.run' },
      { kind: 'error', error: timeout },
    ];
    const error = registrationError(problems) as DecoratorUsageError;
    expect(error).toBeInstanceOf(DecoratorUsageError);
    expect(error.problems).toEqual([
      'X.run parameter #0 has no parameter decorator',
      syntax.message,
      'Task name "x": declared by X.run and by Y.run; task names must be unique: give one of them another name.',
      timeout.message,
    ]);
    expect(error.errors).toEqual([syntax, timeout]);
    expect(error.cause).toBe(syntax);
    // A multi-line problem stays indented under its dash.
    expect(error.message).toContain(
      '  - Cannot parse condition "evry 1 s" at position 0: no such condition.\n      evry 1 s\n',
    );
  });

  it('lists a lone usage problem in a DecoratorUsageError without a cause', () => {
    const error = registrationError([{ kind: 'usage', message: 'bad' }]) as DecoratorUsageError;
    expect(error.message).toBe('Registration found a problem:\n  - bad');
    expect(error.cause).toBeUndefined();
  });
});
