import { Arg } from '../../decorators/Arg';
import { Cond } from '../../decorators/Cond';
import { Param } from '../../decorators/Param';
import { Task } from '../../decorators/Task';
import { readClasses } from './readClasses';

describe('readClasses', () => {
  it('reads tasks, conditions and providers with their injections, default names and leading parameters', () => {
    class Jobs {
      @Task('every 1 minute')
      fetch(@Arg('url') _url: string) {}
      @Cond('over', { poll: '5 seconds' })
      over(_limit: number, @Arg('level') _level: number) {
        return true;
      }
      @Param('token', { cache: 'session' })
      token() {
        return 't';
      }
    }
    @Task({ name: 'nightly' })
    class Nightly {
      run() {}
    }
    const decl = readClasses([Jobs, Nightly]);
    expect(decl.problems).toEqual([]);
    expect(decl.tasks.map((t) => [t.name, t.owner, t.injections.length])).toEqual([
      ['fetch', 'Jobs.fetch', 1],
      ['nightly', 'Nightly.run', 0],
    ]);
    expect(decl.conds.map((c) => [c.name, c.leading, c.poll])).toEqual([['over', 1, '5 seconds']]);
    expect(decl.params.map((p) => [p.name, p.cache])).toEqual([['token', 'session']]);
  });

  it('finds an inherited run() for a class task, and refuses a getter named run', () => {
    class Base {
      run() {
        return 'base';
      }
    }
    @Task()
    class Derived extends Base {}
    expect(readClasses([Derived]).problems).toEqual([]);
    @Task()
    class Getter {
      get run() {
        throw new Error('a getter must not be called while reading');
      }
    }
    expect(readClasses([Getter]).problems).toEqual([
      expect.stringContaining('@Task on class Getter: the class has no run() method to call'),
    ]);
  });

  it('reports role decorators on properties, accessors and static members, and parameter decorators on static methods', () => {
    class Misplaced {
      @Task()
      prop: unknown;
      @Task()
      set value(_v: unknown) {}
      @Task()
      static job() {}
      static helper(_a: unknown, @Arg('b') _b: unknown) {}
    }
    expect(readClasses([Misplaced]).problems).toEqual([
      '@Task on property Misplaced.prop: @Task marks an instance method, which Apogee calls on the instance it builds; make prop a method: prop(...) { ... }.',
      '@Task on accessor Misplaced.value: @Task marks an instance method, which Apogee calls on the instance it builds; make value a method: value(...) { ... }.',
      '@Task on static method Misplaced.job: @Task marks an instance method, which Apogee calls on the instance it builds; make job an instance method (drop static).',
      "@Arg('b') on parameter #1 of static method Misplaced.helper: Apogee calls task, condition and provider methods on the instance it builds, so parameter decorators apply to instance methods only. Make helper an instance method.",
    ]);
  });

  it('reports a class without Apogee decorators and a value that is not a class', () => {
    class Plain {}
    expect(readClasses([Plain, 'nope' as unknown as typeof Plain]).problems).toEqual([
      expect.stringContaining('Class Plain has no Apogee decorators'),
      'register() takes classes, but got nope.',
    ]);
  });
});
