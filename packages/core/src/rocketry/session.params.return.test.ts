/**
 * Ported from Rocketry's rocketry/test/session/params/test_return.py (Miksus/rocketry).
 * `parameters={"myparam": Return('return task')}` is `parameters: { myparam: new
 * ReturnArg('return task') }` with the function's parameter named by `Arg('myparam')`;
 * `session.returns` is `app.session.returns`, keyed by task name.
 *
 * Differences on purpose:
 * - Rocketry runs each case with `main`, `thread` and `process` execution; here `main` and
 *   `async`. A thread or process task is loaded from its module in a worker, which a test's inline
 *   function is not (Apogee's worker execution is tested in execution/remote/).
 * - `Return(task_object)` and `Return(decorated_function)` (`test_normal_pass_task`,
 *   `test_normal_pass_func`) have no counterpart: a return is named by its task's name.
 * - `config.silence_task_prerun` has no counterpart: a missing return always fails the run.
 */
import { start, useFakeClock } from '@apogee/test-utils';
import { App, Arg, ReturnArg, started, type Execution } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

const executions: Execution[] = ['main', 'async'];

/** Starts the app, runs `run` requests, lets 5 s of fake time pass and stops. */
async function runApp(app: App, requests: () => void): Promise<void> {
  const running = await start(app);
  requests();
  await running.advance(5000);
  await running.stop();
}

describe('test_normal', () => {
  it.each(executions)('passes a return value to the next task (%s)', async (execution) => {
    const app = new App({ config: { shutdownWhen: started('a task') } });
    const seen: unknown[] = [];
    const taskReturn = app.task({ name: 'return task', start: '~has started', execution }, () => 'x');
    const task = app.task(
      {
        name: 'a task',
        start: "after task 'return task'",
        parameters: { myparam: new ReturnArg('return task') },
        inject: [Arg('myparam')],
        execution,
      },
      (myparam: unknown) => {
        seen.push(myparam);
      },
    );
    expect(task.status).toBeUndefined();
    await runApp(app, () => taskReturn.run());
    expect(seen).toEqual(['x']);
    expect(Object.fromEntries(app.session.returns)).toEqual({ 'return task': 'x', 'a task': undefined });
    expect(taskReturn.status).toBe('success');
    expect(task.status).toBe('success');
  });
});

describe('test_missing', () => {
  it.each(executions)('a return of a task that does not exist fails the run (%s)', async (execution) => {
    const app = new App();
    const task = app.task(
      {
        name: 'a task',
        parameters: { myparam: new ReturnArg('return task') },
        inject: [Arg('myparam')],
        execution,
      },
      () => undefined,
    );
    await runApp(app, () => {
      task.run();
      expect(task.status).toBeUndefined();
    });
    expect(task.status).toBe('fail');
  });
});

describe('test_default', () => {
  it.each(executions)('a task that never returned gives the default (%s)', async (execution) => {
    const app = new App();
    app.task({ name: 'return task' }, () => undefined);
    const seen: unknown[] = [];
    const task = app.task(
      {
        name: 'a task',
        parameters: { myparam: new ReturnArg('return task', { default: 'x' }) },
        inject: [Arg('myparam')],
        execution,
      },
      (myparam: unknown) => {
        seen.push(myparam);
      },
    );
    await runApp(app, () => {
      task.run();
      expect(task.status).toBeUndefined();
    });
    expect(seen).toEqual(['x']);
    expect(task.status).toBe('success');
  });
});
