/**
 * Ported from Rocketry's rocketry/test/task/func/test_run.py (Miksus/rocketry). `task()` (a run
 * now, outside the scheduler) is `task.run()` on a started app; `session.get_task_log()` is
 * `app.logs.records()`; `raise TaskInactionException()` is `throw new TaskInaction()`.
 *
 * Differences on purpose:
 * - `main` and `async` execution here (Rocketry also `thread` and `process`): a thread or process
 *   task is loaded from its module in a worker, which a test's inline function is not.
 * - A failing `main` run does not throw to the caller (Rocketry re-raises it from `task()`): it is
 *   recorded as `fail` and the scheduler goes on.
 * - `test_dependency`: Rocketry's `task_a` and `task_b` start on `AlwaysTrue()` and are called by
 *   hand; here they run on request only, so that they run exactly when the case says.
 *   `bool(task_dependent)` (is its start condition true now) is read as "it ran".
 * - `test_force_run` (the deprecated `force_run`) has no counterpart.
 * - `test_run_log_fail_at_start` / `_at_end` (a logging handler that raises): a log whose `append`
 *   fails is reported and never fatal; the task's state is kept in memory. So the outcome stands:
 *   a run whose end record could not be written is what it was (Rocketry: `fail`).
 */
import { start, useFakeClock } from '@apogee/test-utils';
import {
  App,
  MemoryRunLog,
  TaskInaction,
  type Execution,
  type RunAction,
  type RunRecord,
  type TaskFunction,
} from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

type Case = [string, TaskFunction, RunAction];

/** Runs `fn` once as "a task" on request; returns its status and its log records. */
async function runOnce(fn: TaskFunction, execution: Execution) {
  const app = new App();
  const task = app.task({ name: 'a task', execution }, fn);
  const running = await start(app);
  task.run();
  await running.advance(1000);
  await running.stop();
  const records = (await app.logs.records()).map((r) => ({ task_name: r.taskName, action: r.action }));
  return { status: task.status, records };
}

const sync: Case[] = [
  ['Success', () => undefined, 'success'],
  [
    'Failure',
    () => {
      throw new Error('Task failed');
    },
    'fail',
  ],
  [
    'Inaction',
    () => {
      throw new TaskInaction();
    },
    'inaction',
  ],
];

const asyncCases: Case[] = [
  ['Success', () => Promise.resolve(), 'success'],
  ['Failure', () => Promise.reject(new Error('Failed')), 'fail'],
  ['Inaction', () => Promise.reject(new TaskInaction('Did nothing')), 'inaction'],
];

const withExecutions = (cases: Case[]) =>
  (['main', 'async'] as const).flatMap((execution) =>
    cases.map(([id, fn, outcome]) => [id, execution, fn, outcome] as const),
  );

describe.each<[string, Case[]]>([
  ['test_run', sync],
  ['test_run_async', asyncCases],
])('%s', (_name, cases) => {
  it.each(withExecutions(cases))('%s (%s)', async (_id, execution, fn, outcome) => {
    const { status, records } = await runOnce(fn, execution);
    expect(status).toBe(outcome);
    expect(records).toEqual([
      { task_name: 'a task', action: 'run' },
      { task_name: 'a task', action: outcome },
    ]);
  });
});

/** A run log whose `append` throws for the actions in `failing`. */
class FailingLog extends MemoryRunLog {
  constructor(private readonly failing: (action: RunAction) => boolean) {
    super();
  }
  override append(record: RunRecord): void {
    if (this.failing(record.action)) throw new Error('Oops');
    super.append(record);
  }
}

describe.each<[string, (action: RunAction) => boolean]>([
  ['test_run_log_fail_at_start', (action) => action === 'run'],
  ['test_run_log_fail_at_end', (action) => action !== 'run'],
])('%s', (_name, failing) => {
  it.each(withExecutions(asyncCases))('%s (%s)', async (_id, execution, fn, outcome) => {
    const app = new App({ log: new FailingLog(failing) });
    const task = app.task({ name: 'a task', execution }, fn);
    const running = await start(app);
    task.run();
    await running.advance(1000);
    await running.stop();
    expect(task.status).not.toBe('run');
    expect(task.status).toBe(outcome);
  });
});

describe('test_dependency', () => {
  it('runs after both tasks ran, not after one', async () => {
    const app = new App();
    const taskA = app.task({ name: 'task_a', execution: 'main' }, () => undefined);
    const taskB = app.task({ name: 'task_b', execution: 'main' }, () => undefined);
    const dependent = app.task(
      { name: 'task_dependent', start: "after task 'task_a' & after task 'task_b'", execution: 'main' },
      () => undefined,
    );
    const running = await start(app);
    await running.advance(1000);
    expect(dependent.status).toBeUndefined();
    taskA.run();
    await running.advance(1000);
    expect(dependent.status).toBeUndefined();
    taskB.run();
    await running.advance(1000);
    await running.stop();
    expect(dependent.status).toBe('success');
  });
});
