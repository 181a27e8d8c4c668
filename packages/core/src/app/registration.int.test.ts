import { start, captureError, useFakeClock } from '@apogee/test-utils';
import {
  App,
  Arg,
  Cond,
  ConditionSyntaxError,
  ConfigurationError,
  DecoratorUsageError,
  DuplicateTaskError,
  Param,
  Task,
  UnknownTaskError,
  afterSuccess,
  cond,
  every,
  never,
  running,
  type TaskDecorator,
} from '../index';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

describe('registration reports every problem of a call in one error', () => {
  it('lists a syntax error, a bad execution and unreceived parameters of one app.task together', () => {
    const app = new App();
    const error = captureError(() =>
      app.task(
        { name: 'x', start: 'evry 10 seconds', execution: 'bogus' as 'async' },
        (a: unknown, b: unknown) => [a, b],
      ),
    );
    expect(error).toBeInstanceOf(DecoratorUsageError);
    const usage = error as DecoratorUsageError;
    expect(usage.problems).toHaveLength(4);
    expect(usage.problems[0]).toContain("app.task 'x' parameter #0 has nothing to receive");
    expect(usage.problems[1]).toContain("app.task 'x' parameter #1 has nothing to receive");
    expect(usage.problems[2]).toContain('execution "bogus" is not one of');
    expect(usage.problems[3]).toContain('Cannot parse condition "evry 10 seconds"');
    expect(usage.message).toMatch(/^Registration found 4 problems:\n {2}- app\.task 'x' parameter #0/);
    expect(usage.errors).toHaveLength(1);
    expect(usage.errors[0]).toBeInstanceOf(ConditionSyntaxError);
    expect(usage.cause).toBe(usage.errors[0]);
    expect(app.session.tasks).toHaveLength(0);
  });

  it('keeps a lone condition syntax error, bad duration or duplicate name as its own error', () => {
    const app = new App();
    app.task({ name: 'taken' }, () => 1);
    expect(() => app.task({ name: 'a', start: 'evry 10 seconds' }, () => 1)).toThrow(ConditionSyntaxError);
    expect(() => app.task({ name: 'b', timeout: '10 parsecs' as '10 seconds' }, () => 1)).toThrow(
      ConfigurationError,
    );
    expect(() => app.cond({ name: 'c', poll: 'soon' as '1 second' }, () => true)).toThrow(ConfigurationError);
    const duplicate = captureError(() => app.task({ name: 'taken' }, () => 2));
    expect(duplicate).toBeInstanceOf(DuplicateTaskError);
    expect((duplicate as Error).message).toContain(`"taken": declared by taken and by app.task 'taken'`);
    expect(app.session.tasks.map((t) => t.name)).toEqual(['taken']);
  });

  it('lists duplicates together with other problems when both occur', () => {
    class A {
      @Task({ name: 'sync' })
      one() {}
    }
    class B {
      @Task({ name: 'sync', start: 'hourly betwen 1 and 2' })
      two() {}
    }
    const error = captureError(() => new App().register(A, B));
    expect(error).toBeInstanceOf(DecoratorUsageError);
    const problems = (error as DecoratorUsageError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('Cannot parse condition "hourly betwen 1 and 2"');
    expect(problems[1]).toContain('Task name "sync": declared by A.one and by B.two');
  });

  // Instance members are decorated before static ones, so their problems come first.
  it('rejects @Task, @Cond and @Param on properties, accessors and static members, naming each', () => {
    const asMethod = (d: unknown): TaskDecorator => d as TaskDecorator;
    class Misplaced {
      @Task()
      handler = () => 'not a method';
      @Task()
      get computed() {
        return 1;
      }
      @Task()
      static nightly() {}
      @asMethod(Cond('ready'))
      static ready() {
        return true;
      }
      @asMethod(Param('token'))
      get token() {
        return 't';
      }
      static helper(@Arg('x') x: unknown) {
        return x;
      }
      @Task()
      fine() {}
    }
    const app = new App();
    const error = captureError(() => app.register(Misplaced));
    expect(error).toBeInstanceOf(DecoratorUsageError);
    const problems = (error as DecoratorUsageError).problems;
    expect(problems).toEqual([
      expect.stringContaining('@Task on property Misplaced.handler: @Task marks an instance method'),
      expect.stringContaining('@Task on accessor Misplaced.computed'),
      expect.stringContaining('@Param on accessor Misplaced.token'),
      expect.stringContaining('@Task on static method Misplaced.nightly'),
      expect.stringContaining('@Cond on static method Misplaced.ready'),
      expect.stringContaining("@Arg('x') on parameter #0 of static method Misplaced.helper"),
    ]);
    expect(app.session.tasks).toHaveLength(0);
  });

  it('lists every unknown reference when the app starts, whatever the condition class, with a bad shutdownWhen', async () => {
    const app = new App({ config: { shutdownWhen: 'is stopping' } });
    app.task({ name: 'load', start: afterSuccess('fetch').and(cond('is ready')) }, () => 1);
    app.task({ name: 'report', start: afterSuccess('load').and(running('mail')) }, () => 1);
    const error = await app.run({ handleSignals: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecoratorUsageError);
    const { errors } = error as DecoratorUsageError;
    expect(errors.map((e) => [e.constructor.name, e.input])).toEqual([
      ['ConditionSyntaxError', 'is stopping'],
      ['UnknownTaskError', 'fetch'],
      ['UnknownConditionError', 'is ready'],
      ['UnknownTaskError', 'mail'],
    ]);
    expect((error as Error).message).toContain(
      'Unknown task "fetch" (referred to by the start condition of task "load")',
    );
  });

  it('keeps a lone unknown reference as its own error', async () => {
    const app = new App();
    app.task({ name: 'load', start: afterSuccess('fecth') }, () => 1);
    app.task({ name: 'fetch' }, () => 1);
    const error = await app.run({ handleSignals: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownTaskError);
    expect((error as Error).message).toMatch(/Did you mean "fetch"/);
  });
});

describe('a failed registration while the scheduler runs leaves nothing behind', () => {
  it('lets app.task be retried with the corrected task after a reference error', async () => {
    const app = new App();
    app.task({ name: 'tick', start: every('1 hour') }, () => 1);
    const running = await start(app);
    expect(() => app.task({ name: 'late', start: afterSuccess('tik') }, () => 'late')).toThrow(
      UnknownTaskError,
    );
    expect(app.session.tasks.map((t) => t.name)).toEqual(['tick']);
    const late = app.task({ name: 'late', start: afterSuccess('tick') }, () => 'late');
    late.run();
    await running.advance(10);
    await running.stop();
    expect(app.session.returns.get('late')).toBe('late');
  });

  it('checks references of register() and rolls back conditions and providers with the tasks', async () => {
    const app = new App();
    const running = await start(app);
    class Jobs {
      @Cond('is open')
      open() {
        return true;
      }
      @Param('limit')
      limit() {
        return 3;
      }
      @Task({ start: cond('is open').and(afterSuccess('ghost')) })
      work(@Arg('limit') limit: number) {
        return limit;
      }
    }
    expect(() => app.register(Jobs)).toThrow(UnknownTaskError);
    expect(app.session.tasks).toHaveLength(0);
    // Nothing of Jobs was kept: the condition name is free and the provider absent.
    app.cond({ name: 'is open' }, () => true);
    app.task({ name: 'probe', start: never, inject: [Arg('limit', 'unset')] }, (l: unknown) => l);
    app.session.get('probe').run();
    await running.advance(10);
    expect(app.session.returns.get('probe')).toBe('unset');
    await running.stop();
  });

  it('refuses app.cond with a taken name and app.param with an unreceived parameter, keeping the old ones', async () => {
    const app = new App();
    app.cond({ name: 'is ready' }, () => true);
    app.param({ name: 'base' }, () => 1);
    const running = await start(app);
    expect(() => app.cond({ name: 'is ready' }, () => false)).toThrow(/already registered/);
    expect(() => app.param({ name: 'base' }, (_x: unknown) => 2)).toThrow(DecoratorUsageError);
    app.task({ name: 'read', start: cond('is ready'), inject: [Arg('base')] }, (b: number) => b);
    await running.advance(10);
    await running.stop();
    expect(app.session.returns.get('read')).toBe(1);
  });

  it('lists the problems of app.task and its unknown references together while running', async () => {
    const app = new App();
    const running = await start(app);
    const error = captureError(() =>
      app.task({ name: 'late', start: afterSuccess('ghost'), timeout: 'soon' as '1 second' }, () => 1),
    );
    expect((error as DecoratorUsageError).errors.map((e) => e.constructor)).toEqual([
      ConfigurationError,
      UnknownTaskError,
    ]);
    expect(app.session.tasks).toHaveLength(0);
    await running.stop();
  });

  it('refuses a cond() with more bound arguments than the condition takes', () => {
    const app = new App();
    app.cond({ name: 'over', inject: [Arg('level')] }, (limit: number, level: number) => level > limit);
    app.task({ name: 'alarm', start: cond('over', 3, 4) }, () => 1);
    return expect(app.run({ handleSignals: false })).rejects.toThrow(
      /cond\('over', \.\.\.\) in the start condition of task "alarm": \[3,4\] is not valid\. Expected at most 1 bound argument/,
    );
  });

  it('reports an unknown custom condition named in a string at registration', () => {
    expect(() => new App().task({ name: 't', start: 'is nothing' }, () => 1)).toThrow(
      /'is nothing' is not a known condition/,
    );
  });
});
