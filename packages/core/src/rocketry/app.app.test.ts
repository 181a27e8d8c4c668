/**
 * Ported from Rocketry's rocketry/test/app/test_app.py (Miksus/rocketry). Rocketry's decorators
 * `@app.task('daily')`, `@app.param('arg_1')` and `@app.cond('is foo')` are Apogee's
 * `app.task({ name, start })`, `app.param({ name })` and `app.cond({ name })` (the decorator
 * forms are `@Task`, `@Param`, `@Cond` on classes); a default `arg=Arg('arg_1')` in the signature
 * is `inject: [Arg('arg_1')]`. `shut_cond = TaskStarted(task='x')` is `shutdownWhen: started('x')`,
 * and `app.run()` / `asyncio.run(app.serve())` are `app.run()` under fake time.
 *
 * Differences on purpose, left out:
 * - `test_app_defaults`, `test_app_settings`, `test_deprecated`: the config is given to the App,
 *   not read back from it (and Rocketry's logging handlers are Apogee's `log` option).
 * - `test_task_creation`: command (`command=`) and script (`path=`) tasks have no counterpart;
 *   the function tasks are ported.
 * - `test_arg_ref` (`Arg(my_arg_1)`, a parameter named by its function) and `test_task_name` (a
 *   task named after its function): parameters and function tasks are named explicitly.
 * - `test_delete_task` (`session.remove_task`): an app's tasks are fixed once it is built.
 * - In `test_app_run`, Rocketry counts exactly one `fail` for `do_fail` (start `true`) because the
 *   app stopped right after; here `do_fail` keeps failing until the app stops, so at least one.
 */
import { runFor, useFakeClock } from '@apogee/test-utils';
import { App, Arg, FuncArg, Return, started } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

const count = async (app: App, taskName: string, action: 'success' | 'fail') =>
  (await app.logs.records({ taskName, action })).length;

describe('test_task_creation', () => {
  it('creates function tasks; one without a start never runs on its own', async () => {
    const app = new App({ config: { execution: 'main' } });
    const doNever = app.task({ name: 'do_never' }, () => undefined);
    app.task({ name: 'do_func', start: 'daily' }, () => 'return value');
    app.task({ name: 'do_lambda', start: 'daily' }, () => null);
    expect(app.session.tasks).toHaveLength(3);
    await runFor(app, 60_000);
    expect(doNever.status).toBeUndefined();
    expect(app.session.get('do_func').status).toBe('success');
  });
});

describe('test_nested_args', () => {
  it('params read other params', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_daily') } });
    const seen: unknown[] = [];
    app.param({ name: 'arg_1' }, () => 'arg 1');
    app.param({ name: 'arg_2', inject: [Arg('arg_1')] }, (arg: string) => {
      seen.push(arg);
      return 'arg 2';
    });
    app.param({ name: 'arg_3', inject: [Arg('arg_1'), Arg('arg_2')] }, (arg1: string, arg2: string) => {
      seen.push(arg1, arg2);
      return 'arg 3';
    });
    app.task({ name: 'do_daily', start: 'true', inject: [Arg('arg_3')] }, (arg: string) => {
      seen.push(arg);
    });
    await runFor(app, 5000);
    expect(seen).toEqual(['arg 1', 'arg 1', 'arg 2', 'arg 3']);
    expect(await count(app, 'do_daily', 'success')).toBe(1);
  });
});

describe('test_nested_args_from_func_arg', () => {
  it('function arguments read params and other function arguments', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_daily') } });
    app.param({ name: 'arg_1' }, () => 'arg 1');
    const myFunc2 = new FuncArg((arg: string) => (arg === 'arg 1' ? 'arg 2' : `wrong: ${arg}`), {
      inject: [Arg('arg_1')],
    });
    const myFunc3 = new FuncArg(
      (arg1: string, arg2: string) =>
        arg1 === 'arg 1' && arg2 === 'arg 2' ? 'arg 3' : `wrong: ${arg1}, ${arg2}`,
      { inject: [Arg('arg_1'), Arg('my_func_2')] },
    );
    // Rocketry passes `FuncArg(my_func_2)` as a default; here it is a session parameter.
    app.params({ my_func_2: myFunc2 });
    let got: unknown;
    app.task(
      { name: 'do_daily', start: 'true', parameters: { arg: myFunc3 }, inject: [Arg('arg')] },
      (arg: string) => {
        got = arg;
      },
    );
    await runFor(app, 5000);
    expect(got).toBe('arg 3');
    expect(await count(app, 'do_daily', 'success')).toBe(1);
  });
});

describe('test_app_async', () => {
  it('runs until the shutdown condition holds', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_func') } });
    app.task({ name: 'do_never' }, () => undefined);
    app.task({ name: 'do_func', start: 'daily' }, () => 'return value');
    await runFor(app, 5000);
    expect(await count(app, 'do_func', 'success')).toBe(1);
  });
});

describe('test_app_run', () => {
  it('params, custom conditions, returns and session parameters work together', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_after') } });
    app.params({ my_arg: 'session value' });
    app.param({ name: 'my_func_arg' }, () => 'func arg value');
    const condArgs: unknown[] = [];
    app.cond({ name: 'is foo', inject: [Arg('my_func_arg')] }, (arg: string) => {
      condArgs.push(arg);
      return true;
    });
    app.task({ name: 'do_daily', start: 'daily & is foo' }, () => 'return value');
    let afterArgs: unknown[] = [];
    app.task(
      {
        name: 'do_after',
        start: "after task 'do_daily'",
        inject: [Return('do_daily'), Arg('my_arg'), Arg('my_func_arg'), Arg('func_arg_2')],
        parameters: { func_arg_2: new FuncArg(() => 'my val') },
      },
      (...args: unknown[]) => {
        afterArgs = args;
      },
    );
    app.task({ name: 'do_fail', start: 'true' }, () => {
      throw new Error('failing');
    });
    const never = app.task(
      { name: 'never done', start: 'false', parameters: { arg_1: 'something' }, inject: [Arg('arg_1')] },
      () => {
        throw new Error('never');
      },
    );
    expect(app.session.tasks.map((t) => t.name).sort()).toEqual([
      'do_after',
      'do_daily',
      'do_fail',
      'never done',
    ]);
    await runFor(app, 5000);
    expect(condArgs[0]).toBe('func arg value');
    expect(afterArgs).toEqual(['return value', 'session value', 'func arg value', 'my val']);
    expect(await count(app, 'do_after', 'success')).toBe(1);
    expect(await count(app, 'do_fail', 'fail')).toBeGreaterThanOrEqual(1);
    expect(never.name).toBe('never done');
    expect(never.parameters).toEqual({ arg_1: 'something' });
    expect(never.status).toBeUndefined();
  });
});
