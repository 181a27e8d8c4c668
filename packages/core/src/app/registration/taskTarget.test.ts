import { Task } from '../../decorators/Task';
import type { RegistrationProblem } from './RegistrationProblem';
import { taskTarget } from './taskTarget';

describe('taskTarget', () => {
  it('points a worker at the declaring module, class and member of a decorated task', () => {
    class Heavy {
      @Task({ execution: 'thread' })
      crunch() {}
    }
    const problems: RegistrationProblem[] = [];
    expect(taskTarget('w', 'crunch', {}, { kind: 'method', ctor: Heavy, key: 'crunch' }, problems)).toEqual({
      module: __filename,
      taskName: 'crunch',
      className: 'Heavy',
      member: 'crunch',
    });
    expect(problems).toEqual([]);
  });

  it('takes a function task from options.module, named export when the function has a name', () => {
    function crunch() {}
    const problems: RegistrationProblem[] = [];
    expect(taskTarget('w', 't', { module: __filename }, { kind: 'function', fn: crunch }, problems)).toEqual({
      module: __filename,
      taskName: 't',
      exportName: 'crunch',
    });
  });

  it('collects what keeps a worker from running the task', () => {
    const problems: RegistrationProblem[] = [];
    taskTarget('Task "t"', 't', {}, { kind: 'function', fn: () => undefined }, problems);
    expect(problems.map((p) => (p.kind === 'usage' ? p.message : ''))).toEqual([
      expect.stringContaining('Task "t" needs module'),
    ]);
    const symbol = Symbol('job');
    class Sym {}
    const more: RegistrationProblem[] = [];
    taskTarget('Task "s"', 's', { module: __filename }, { kind: 'method', ctor: Sym, key: symbol }, more);
    expect(more).toEqual([
      {
        kind: 'usage',
        message: expect.stringContaining('a method named by a symbol cannot be found by a worker') as string,
      },
    ]);
  });
});
