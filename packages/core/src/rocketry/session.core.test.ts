/**
 * Ported from Rocketry's rocketry/test/session/test_core.py (Miksus/rocketry). `session.tasks`
 * is `app.session.tasks` (in registration order, Rocketry: a set), `session['task 1']` is
 * `app.session.get('task 1')`, and `session.create_task(...)` is `app.task(...)`.
 *
 * Differences on purpose, left out:
 * - `session[task_object]`, `session[function]` and `session[1234]` (a `TypeError`): tasks are
 *   looked up by name, and TypeScript refuses other keys.
 * - A missing name is an `UnknownTaskError` listing close names (Rocketry: `KeyError`).
 * - `test_get_repo`, `test_add` (a task from another session), `test_remove`, `test_clear`, and the
 *   deprecated `task_exists` / `get_task`: an app's tasks are fixed once it is built (registration
 *   checks them together), and its run log is `app.logs`. A command task (`command="echo ..."`)
 *   has no counterpart: a task is a function or a method.
 */
import { UnknownTaskError } from '../errors/UnknownTaskError';
import { App } from '../index';

describe('test_tasks_attr', () => {
  it('lists the tasks', () => {
    const app = new App();
    const task1 = app.task({ name: 'example 1', execution: 'main' }, () => undefined);
    const task2 = app.task({ name: 'example 2', execution: 'main' }, () => undefined);
    expect(app.session.tasks).toEqual([task1, task2]);
  });
});

describe('test_getitem', () => {
  it('gets a task by name', () => {
    const app = new App();
    const task1 = app.task({ name: 'task 1', execution: 'main' }, () => undefined);
    const task2 = app.task({ name: 'task 2', execution: 'main' }, () => undefined);
    expect(app.session.get('task 1')).toBe(task1);
    expect(app.session.get('task 2')).toBe(task2);
    expect(() => app.session.get('non existing')).toThrow(UnknownTaskError);
  });
});

describe('test_create', () => {
  it('creates tasks with a start condition', () => {
    const app = new App();
    expect(app.session.tasks).toEqual([]);
    app.task({ name: 'do_func', start: 'daily' }, () => undefined);
    expect(app.session.tasks.map((t) => t.name)).toEqual(['do_func']);
    expect(app.session.get('do_func').start.toString()).toBe('daily');
  });
});
