/**
 * Ported from Rocketry's rocketry/test/app/test_cond_api.py (Miksus/rocketry): tasks whose start
 * conditions are built with the condition API. `@app.task(daily)` is `app.task({ name, start:
 * daily })`; `after_success(do_daily)` (a function) is `afterSuccess('do_daily')` (by name);
 * `a & b` and `a | b` are `a.and(b)` and `a.or(b)`; a custom condition `@app.cond('is foo')` is
 * `app.cond({ name: 'is foo' })`, used as `cond('is foo', ...args)`; `Task()` in its signature is
 * `CurrentTask()`, the task whose condition is checked. `shut_cond = TaskStarted(task=...)` is
 * `shutdownWhen: started(...)`.
 *
 * Difference on purpose: Rocketry checks that two calls `is_foo(x="a value")` build distinct
 * objects (`is not`); Apogee's conditions are values, so that identity check is left out.
 */
import { runFor, useFakeClock } from '@apogee/test-utils';
import {
  afterFail,
  afterSuccess,
  always,
  App,
  cond,
  CurrentTask,
  daily,
  never,
  Return,
  started,
  timeOfHour,
  type ScheduledTask,
} from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

const successes = async (app: App, taskName: string) =>
  (await app.logs.records({ taskName, action: 'success' })).length;

describe('test_app_run', () => {
  it('runs tasks built with the condition API', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_after') } });
    app.task({ name: 'do_never', start: never }, () => undefined);
    app.task({ name: 'do_daily', start: daily }, () => undefined);
    app.task({ name: 'do_after', start: afterSuccess('do_daily') }, () => undefined);
    app.task(
      {
        name: 'do_daily_complex',
        start: daily.and(afterFail('do_never').or(timeOfHour.before('10:00')).or(afterSuccess('do_daily'))),
      },
      () => undefined,
    );
    await runFor(app, 5000);
    expect(await successes(app, 'do_after')).toBe(1);
  });
});

describe('test_pipe', () => {
  it('passes a return value along afterSuccess', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_second') } });
    app.task({ name: 'do_first', start: always }, () => 'hello');
    let got: unknown;
    app.task(
      { name: 'do_second', start: afterSuccess('do_first'), inject: [Return('do_first')] },
      (arg: string) => {
        got = arg;
      },
    );
    await runFor(app, 5000);
    expect(got).toBe('hello');
    expect(await successes(app, 'do_second')).toBe(1);
  });
});

describe('test_custom_cond', () => {
  it('a custom condition sees the task it is checked for', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_things') } });
    const checkedFor: string[] = [];
    app.cond({ name: 'is foo', inject: [CurrentTask()] }, (task: ScheduledTask) => {
      checkedFor.push(task.name);
      return true;
    });
    app.task({ name: 'do_things', start: always.and(cond('is foo')) }, () => undefined);
    await runFor(app, 5000);
    expect(new Set(checkedFor)).toEqual(new Set(['do_things']));
    expect(await successes(app, 'do_things')).toBe(1);
  });
});

describe('test_custom_cond_parametrized', () => {
  it('a custom condition takes arguments and the task it is checked for', async () => {
    const app = new App({ config: { execution: 'main', shutdownWhen: started('do_things') } });
    const seen: [unknown, string][] = [];
    app.cond({ name: 'is foo', inject: [CurrentTask()] }, (x: unknown, task: ScheduledTask) => {
      seen.push([x, task.name]);
      return true;
    });
    app.task({ name: 'do_things', start: always.and(cond('is foo', 'a value')) }, () => undefined);
    await runFor(app, 5000);
    expect(seen.length).toBeGreaterThan(0);
    for (const entry of seen) expect(entry).toEqual(['a value', 'do_things']);
    expect(await successes(app, 'do_things')).toBe(1);
  });
});
