/**
 * Ported from Rocketry's rocketry/test/session/test_control_task.py (Miksus/rocketry).
 * `task.run(arg="correct")` is `task.run({ arg: 'correct' })` (batch parameters),
 * `task.batches == [Parameters(...)]` is `task.batches` holding those parameters, and
 * `task.logger.filter_by(action="run").count()` counts the app's run log records.
 * `start_cond=AlwaysFalse()` is `start: never`; `shut_cond = SchedulerCycles() >= 5` is
 * `shutdownWhen: schedulerCycles({ moreThan: 4 })`.
 *
 * Differences on purpose:
 * - `main` and `async` execution here (Rocketry: `main`, `thread`, `process`): a thread or process
 *   task is loaded from its module in a worker, which a test's inline function is not.
 * - The deprecated `task.force_run = True` (`test_task_force_run`, `test_task_force_disabled`)
 *   has no counterpart: `task.run()` is the request.
 * - `def run_parametrized(arg=SimpleArg("incorrect"))` (a default in the signature) is
 *   `Arg('arg', 'incorrect')`.
 */
import { start, useFakeClock } from '@apogee/test-utils';
import { App, Arg, never, schedulerCycles, type Execution, type RunAction } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

const executions: Execution[] = ['main', 'async'];

async function count(app: App, action: RunAction): Promise<number> {
  return (await app.logs.records({ taskName: 'task', action })).length;
}

async function runApp(app: App): Promise<void> {
  const running = await start(app);
  await running.advance(5000);
  await running.stop();
}

describe('test_set_running', () => {
  it.each(executions)(
    'a requested run of a task whose condition is false runs once (%s)',
    async (execution) => {
      const app = new App({ config: { shutdownWhen: schedulerCycles({ moreThan: 4 }) } });
      const task = app.task({ name: 'task', start: never, execution }, () => undefined);
      expect(task.batches).toEqual([]);
      task.run();
      expect(task.batches).toEqual([{}]);
      await runApp(app);
      expect(await count(app, 'run')).toBe(1);
      expect(await count(app, 'success')).toBe(1);
      expect(await count(app, 'fail')).toBe(0);
      expect(task.batches).toHaveLength(0);
    },
  );
});

describe('test_set_running_with_params', () => {
  it.each(executions)('each batch runs once with its parameters (%s)', async (execution) => {
    // Rocketry stops at `TaskStarted(task=task) == 3`; a status has no count here: stop after 5 s.
    const app = new App();
    const task = app.task(
      { name: 'task', start: never, execution, inject: [Arg('arg', 'incorrect')] },
      (arg: string) => {
        if (arg !== 'correct') throw new Error(`arg is ${arg}`);
      },
    );
    task.run({ arg: 'correct' });
    task.run({ arg: 'correct' });
    task.run({ arg: 'incorrect' });
    expect(task.batches).toEqual([{ arg: 'correct' }, { arg: 'correct' }, { arg: 'incorrect' }]);
    await runApp(app);
    expect(await count(app, 'run')).toBe(3);
    expect(await count(app, 'success')).toBe(2);
    expect(await count(app, 'fail')).toBe(1);
    expect(task.batches).toHaveLength(0);
  });
});

describe('test_set_running_disabled', () => {
  it.each(executions)('a requested run overrides disabled, which stays (%s)', async (execution) => {
    const app = new App({ config: { shutdownWhen: schedulerCycles({ moreThan: 4 }) } });
    const task = app.task({ name: 'task', start: never, execution }, () => undefined);
    task.disabled = true;
    task.run();
    await runApp(app);
    expect(task.batches).toEqual([]);
    expect(await count(app, 'run')).toBe(1);
    expect(await count(app, 'success')).toBe(1);
    expect(task.disabled).toBe(true);
  });
});
