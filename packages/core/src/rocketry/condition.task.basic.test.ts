/**
 * Ported from Rocketry's rocketry/test/condition/task/test_basic.py (Miksus/rocketry). Rocketry
 * runs tasks by hand (`task(params={"fail": True})`) and observes the condition between runs;
 * here each run writes its `run` and `success`/`fail` records, a minute apart, into the
 * task-state index the scheduler uses, and the condition is checked for "runned task" after each
 * step. `TaskFinished(task=...)` is `finished(...)`; `DependSuccess(task="runned task",
 * depend_task="prerequisite task")` is `afterSuccess('prerequisite task')` checked for "runned
 * task" (also `afterFail`, `afterFinish`).
 *
 * Differences on purpose, left out:
 * - `test_task_status_race` repeats a run ten times to catch a clock race of Python's logging;
 *   records here carry the instant they are written, so the case is the first of `test_task_status`.
 * - `test_display` (`"task 'mydep' succeeded before 'mytask' started"`): conditions print in the
 *   string language (`after task 'mydep' succeeded`), covered by the `condition/test_parse.py` port.
 */
import { conditionContext } from '@apogee/test-utils';
import type { Condition, Evaluation } from '../conditions/Condition';
import { TaskStateIndex } from '../log/TaskStateIndex';
import { afterFail, afterFinish, afterSuccess, failed, finished, succeeded } from '../index';

/** Runs tasks one after the other, a minute apart, and checks a condition for "runned task". */
function timeline(condition: Condition) {
  const index = new TaskStateIndex();
  let now = Date.parse('2020-01-01T07:00:00Z');
  return {
    run(taskName: string, fail = false): void {
      for (const action of ['run', fail ? 'fail' : 'success'] as const) {
        now += 60_000;
        index.apply({ taskName, action, runId: `${taskName}@${now}`, created: new Date(now) });
      }
    },
    observe(): boolean {
      now += 60_000;
      const context = {
        ...conditionContext({ now: new Date(now), timezone: 'UTC', taskName: 'runned task' }),
        state: (name: string) => index.get(name),
      };
      return (condition.evaluate(context) as Evaluation).value;
    },
  };
}

describe('test_task_status', () => {
  it.each<[string, Condition, boolean, boolean]>([
    ['TaskFinished Success', finished('runned task'), true, true],
    ['TaskFinished Failure', finished('runned task'), false, true],
    ['TaskSucceeded Success', succeeded('runned task'), true, true],
    ['TaskSucceeded Failure', succeeded('runned task'), false, false],
    ['TaskFailed Success', failed('runned task'), true, false],
    ['TaskFailed Failure', failed('runned task'), false, true],
  ])('%s', (_id, condition, succeeding, expected) => {
    const t = timeline(condition);
    expect(t.observe()).toBe(false); // has not yet run
    t.run('runned task', !succeeding);
    expect(t.observe()).toBe(expected);
  });
});

/** Rocketry's four steps: the prerequisite runs, the task runs, and again. */
function dependSteps(condition: Condition, prerequisiteFails: boolean, expected: boolean): void {
  const t = timeline(condition);
  expect(t.observe()).toBe(false);
  t.run('prerequisite task', prerequisiteFails);
  expect(t.observe()).toBe(expected);
  t.run('runned task');
  expect(t.observe()).toBe(false);
  t.run('prerequisite task', prerequisiteFails);
  expect(t.observe()).toBe(expected);
  t.run('runned task');
  expect(t.observe()).toBe(false);
}

describe('test_task_depend_fail', () => {
  it.each<[string, Condition, boolean]>([
    ['DependFinish', afterFinish('prerequisite task'), true],
    ['DependSuccess', afterSuccess('prerequisite task'), false],
    ['DependFailure', afterFail('prerequisite task'), true],
  ])('%s', (_id, condition, expected) => {
    dependSteps(condition, true, expected);
  });
});

describe('test_task_depend_success', () => {
  it.each<[string, Condition, boolean]>([
    ['DependFinish', afterFinish('prerequisite task'), true],
    ['DependSuccess', afterSuccess('prerequisite task'), true],
    ['DependFailure', afterFail('prerequisite task'), false],
  ])('%s', (_id, condition, expected) => {
    dependSteps(condition, false, expected);
  });
});
