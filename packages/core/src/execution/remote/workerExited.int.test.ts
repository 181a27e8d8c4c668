import { filter, firstValueFrom } from 'rxjs';
import { App } from '../../app/App';
import type { SchedulerEvent } from '../../scheduler/events/SchedulerEvent';
import { type Place, RemoteJobs } from './fixtures/remoteJobs';

// Real workers, real time: each step waits for an event, never for a fixed delay.
jest.setTimeout(30_000);

type Of<T extends SchedulerEvent['type']> = Extract<SchedulerEvent, { type: T }>;

function next<T extends SchedulerEvent['type']>(app: App, type: T, taskName?: string): Promise<Of<T>> {
  return firstValueFrom(
    app.events.pipe(
      filter(
        (e): e is Of<T> =>
          e.type === type && (taskName === undefined || ('taskName' in e && e.taskName === taskName)),
      ),
    ),
  );
}

describe.each(['thread', 'process'] as const)('a %s worker that dies after its run reported', (mode) => {
  it('is reported as workerExited, the run stays a success, and the next run gets a fresh worker', async () => {
    const app = new App({ config: { execution: mode, maxThreads: 1, maxProcesses: 1 }, tasks: [RemoteJobs] });
    const running = app.run({ handleSignals: false });
    try {
      const succeeded = next(app, 'taskSucceeded', 'crashAfterReturn');
      const exited = next(app, 'workerExited');
      app.session.get('crashAfterReturn').run();
      const first = (await succeeded).returnValue as Place;
      const event = await exited;
      expect(event).toMatchObject({
        execution: mode,
        taskName: 'crashAfterReturn',
      });
      expect(typeof event.runId).toBe('string');
      expect(String((event.exit.error as Error | undefined)?.message)).toContain(
        'thrown after the run returned',
      );
      expect(app.session.get('crashAfterReturn').status).toBe('success');

      const again = next(app, 'taskSucceeded', 'where');
      app.session.get('where').run();
      const second = (await again).returnValue as Place;
      expect(second).not.toEqual(first);
    } finally {
      await app.shutdown();
      await running;
    }
  });
});
