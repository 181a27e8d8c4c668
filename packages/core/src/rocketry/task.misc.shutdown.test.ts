/**
 * Ported from Rocketry's rocketry/test/task/misc/test_shutdown.py (Miksus/rocketry):
 * `test_scheduler_shutdown`. Rocketry's built-in `ShutDown` task is a task whose function calls
 * `app.shutdown()`; the startup and shutdown tasks append to a real file, as in Rocketry.
 * `shut_cond = AlwaysFalse()` is `shutdownWhen: never`.
 *
 * Difference on purpose: `test_restart_raises` (calling the task raises `SchedulerExit`) has no
 * counterpart: `app.shutdown()` returns a promise and the calling run ends as a `success`.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, never } from '../index';
import { useFakeClock } from '@apogee/test-utils';

let dir: string;
useFakeClock(new Date('2026-05-04T08:00:00Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-rocketry-shutdown-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('test_scheduler_shutdown', () => {
  it('a task that shuts the app down runs once; startup and shutdown tasks run around it', async () => {
    const file = join(dir, 'test.txt');
    const app = new App({ config: { execution: 'main', shutdownWhen: never } });
    const writeFile = (text: string) => () => {
      appendFileSync(file, text, 'utf8');
    };
    app.task({ name: 'write_startup', onStartup: true }, writeFile('Started'));
    app.task({ name: 'write_shutdown', onShutdown: true }, writeFile('Shut'));
    const task = app.task({ name: 'shut_down' }, () => {
      void app.shutdown();
    });
    task.run();
    const done = app.run({ handleSignals: false });
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    for (let waited = 0; !finished && waited < 60_000; waited += 100)
      await jest.advanceTimersByTimeAsync(100);
    await done;
    expect(readFileSync(file, 'utf8')).toBe('StartedShut');
    const records = await app.logs.records({ taskName: 'shut_down' });
    expect(records.filter((r) => r.action === 'run')).toHaveLength(1);
    expect(records.filter((r) => r.action === 'success')).toHaveLength(1);
  });
});
