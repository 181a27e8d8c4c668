/**
 * Ported from Rocketry's rocketry/test/session/params/test_params.py (Miksus/rocketry).
 * `session.parameters.update(...)` is `app.params(...)`; `FuncTask(run_task, parameters=...)`
 * is `app.task({ parameters, inject })`, the function's parameters naming their keys with
 * `Arg('key')`; `task.run()` then `session.start()` with `shut_cond = TaskStarted(...) >= 1` is
 * `task.run()` on a started app, stopped once the run ended.
 *
 * Difference on purpose: Rocketry's `config.silence_task_prerun` (a failing argument raises
 * instead of failing the run unless silenced) has no counterpart: an argument that throws always
 * fails the run, recorded as `run` then `fail` (`ParameterProviderError`), and the scheduler goes on.
 */
import { start, useFakeClock } from '@apogee/test-utils';
import { App, Arg, FuncArg, Private, type Execution } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

describe('test_parametrization_private', () => {
  it.each<Execution>(['main', 'async'])(
    'session and task Private values reach the run as values (%s)',
    async (execution) => {
      const app = new App();
      app.params({ secret: new Private('psst'), public: 'hello', secret_list: new Private([1, 2, 3]) });
      const seen: unknown[] = [];
      const task = app.task(
        {
          name: 'a task',
          execution,
          parameters: { task_secret: new Private('hsss'), task_public: 'world' },
          inject: [Arg('secret'), Arg('public'), Arg('secret_list'), Arg('task_secret'), Arg('task_public')],
        },
        (...args: unknown[]) => {
          seen.push(...args);
        },
      );
      const running = await start(app);
      task.run();
      await running.advance(1000);
      await running.stop();
      expect(seen).toEqual(['psst', 'hello', [1, 2, 3], 'hsss', 'world']);
      expect(task.status).toBe('success');
    },
  );
});

describe('test_params_failure', () => {
  it('an argument that throws fails the run', async () => {
    const app = new App();
    const getValue = (): never => {
      throw new Error('Not working');
    };
    let ran = false;
    const task = app.task(
      {
        name: 'a task',
        execution: 'main',
        parameters: { value: new FuncArg(getValue) },
        inject: [Arg('value')],
      },
      () => {
        ran = true;
      },
    );
    const running = await start(app);
    task.run();
    expect(task.status).toBeUndefined();
    await running.advance(1000);
    await running.stop();
    expect(task.status).toBe('fail');
    expect(ran).toBe(false);
  });
});
