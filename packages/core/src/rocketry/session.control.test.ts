/**
 * Ported from Rocketry's rocketry/test/session/test_control.py (Miksus/rocketry), translated to
 * Apogee's API. Differences on purpose: Rocketry's `session.shut_down()` is `app.shutdown()`;
 * `shut_cond = TaskStarted(task=...) >= 3` is `shutdownWhen: schedulerCycles(...)` (a bound that
 * is never reached first here, as in Rocketry). Rocketry's `thread` variant is left out: an
 * Apogee thread task has no `app` to call (it runs in a worker); `async` is tested instead, as
 * the issue asks. `test_shutdown_force` (`shut_down(force=True)`) has no counterpart: Apogee's
 * `instantShutdown` is a config option, tested in scheduler/Scheduler.lifecycle.int.test.ts.
 */
import { start, useFakeClock } from '@apogee/test-utils';
import { App, always, schedulerCycles, type Execution } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

describe('test_shutdown', () => {
  it.each<Execution>(['main', 'async'])(
    'runs shutdown tasks after the run that called app.shutdown() ends (%s)',
    async (execution) => {
      const timeline: string[] = [];
      const app = new App({ config: { execution, shutdownWhen: schedulerCycles({ moreThan: 100 }) } });
      app.task({ name: 'startup', onStartup: true }, () => void timeline.push('startup'));
      app.task({ name: 'call-shutdown', start: always }, async () => {
        void app.shutdown();
        // Still inside the run: the shutdown tasks must not have run yet.
        await Promise.resolve();
        timeline.push('shutdown-called');
      });
      app.task({ name: 'shutdown', onShutdown: true }, () => void timeline.push('shutdown'));
      const running = await start(app);
      await running.advance(1000);
      await running.stop();
      expect(timeline).toEqual(['startup', 'shutdown-called', 'shutdown']);
    },
  );
});
