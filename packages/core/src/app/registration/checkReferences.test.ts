import { Condition, type Evaluation } from '../../conditions/Condition';
import { cond } from '../../conditions/custom/CustomCondition';
import { afterSuccess } from '../../conditions/task/afterSuccess';
import { running } from '../../conditions/task/running';
import { every } from '../../conditions/time/every';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { UnknownConditionError } from '../../errors/UnknownConditionError';
import { UnknownTaskError } from '../../errors/UnknownTaskError';
import { checkReferences, taskConditionUses, type KnownNames } from './checkReferences';

/** A condition class registration has never heard of, reading two other tasks' state. */
class WatchesTasks extends Condition {
  constructor(readonly names: readonly string[]) {
    super();
  }
  override get dependsOn(): readonly (string | undefined)[] {
    return [...this.names, undefined];
  }
  evaluate(): Evaluation {
    return { value: false, next: Infinity };
  }
  toString(): string {
    return 'watches';
  }
}

const known: KnownNames = {
  tasks: new Set(['fetch', 'load']),
  customs: new Map([['is ready', { owner: 'Checks.ready', leading: 1 }]]),
};

describe('checkReferences', () => {
  it('finds unknown tasks through dependsOn, whatever the condition class', () => {
    const problems = checkReferences(
      [{ condition: new WatchesTasks(['fetch', 'ghost']).and(every('1 minute')), usedBy: 'task "x"' }],
      known,
    );
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.kind === 'error' && problem.error).toBeInstanceOf(UnknownTaskError);
    expect(problem?.kind === 'error' && problem.error.message).toContain(
      'Unknown task "ghost" (referred to by task "x")',
    );
  });

  it('reports unknown custom conditions and too many bound arguments', () => {
    const problems = checkReferences(
      [
        { condition: cond('is redy'), usedBy: 'a' },
        { condition: cond('is ready', 1, 2), usedBy: 'b' },
        { condition: cond('is ready', 1), usedBy: 'c' },
      ],
      known,
    );
    expect(problems.map((p) => (p.kind === 'error' ? p.error.constructor : undefined))).toEqual([
      UnknownConditionError,
      ConfigurationError,
    ]);
  });

  it('reports a name once per use, however often the condition repeats it', () => {
    const condition = afterSuccess('ghost').and(running('ghost'));
    expect(checkReferences([{ condition, usedBy: 'a' }], known)).toHaveLength(1);
    expect(
      checkReferences(
        [
          { condition, usedBy: 'a' },
          { condition, usedBy: 'b' },
        ],
        known,
      ),
    ).toHaveLength(2);
  });

  it('names the start and end conditions of tasks, leaving out an end they do not have', () => {
    const start = afterSuccess('fetch');
    const end = afterSuccess('stop');
    const named = (tasks: Parameters<typeof taskConditionUses>[0]) =>
      taskConditionUses(tasks).map((u) => ({ condition: u.condition, usedBy: u.usedBy }));
    expect(named([{ name: 'x', start, end: undefined }])).toEqual([
      { condition: start, usedBy: 'the start condition of task "x"' },
    ]);
    expect(named([{ name: 'y', start, end }])).toEqual([
      { condition: start, usedBy: 'the start condition of task "y"' },
      { condition: end, usedBy: 'the end condition of task "y"' },
    ]);
  });

  it('checks a condition shared by many tasks once, and still names each use that fails', () => {
    const start = afterSuccess('missing');
    const uses = taskConditionUses([
      { name: 'a', start, end: undefined },
      { name: 'b', start, end: undefined },
    ]);
    const problems = checkReferences(uses, { tasks: new Set(['a', 'b']), customs: new Map() });
    expect(problems.map((p) => (p.kind === 'error' ? p.error.message : p.message))).toEqual([
      expect.stringContaining('the start condition of task "a"'),
      expect.stringContaining('the start condition of task "b"'),
    ]);
  });
});
