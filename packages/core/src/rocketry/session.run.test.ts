/**
 * Ported from Rocketry's rocketry/test/session/test_run.py (Miksus/rocketry): `test_run`.
 * `session.run("example 2")` is `app.session.get('example 2').run()` on a started app.
 *
 * Left out, as Apogee differs on purpose:
 * - `test_run_obey_cond` (`session.run(name, obey_cond=True)`: a request that waits for the start
 *   condition): a requested run in Apogee always runs; to wait for a condition, make it the
 *   task's start.
 * - `test_run_execution` (`session.run(name, execution="main")`, overriding the execution for one
 *   run): a task's execution is fixed when it is registered.
 */
import { start, useFakeClock } from '@apogee/test-utils';
import { App, type ScheduledTask } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

describe('test_run', () => {
  it('runs the requested task only', async () => {
    const app = new App();
    const task1: ScheduledTask = app.task({ name: 'example 1', execution: 'main' }, () => undefined);
    const task2: ScheduledTask = app.task({ name: 'example 2', execution: 'main' }, () => undefined);
    const running = await start(app);
    app.session.get('example 2').run();
    await running.advance(1000);
    await running.stop();
    expect(task1.status).toBeUndefined();
    expect(task2.status).toBe('success');
    expect(task1.disabled).toBe(false);
    expect(task2.disabled).toBe(false);
  });
});
