import { filter, firstValueFrom } from 'rxjs';
import { App } from '../../app/App';
import type { SchedulerEvent } from '../../scheduler/events/SchedulerEvent';
import { ConsoleJobs } from './fixtures/consoleJobs';

// Real workers, real time: each test waits for events, never for a fixed delay.
jest.setTimeout(60_000);

type Succeeded = Extract<SchedulerEvent, { type: 'taskSucceeded' }>;

describe.each(['thread', 'process'] as const)('console output of a %s run', (execution) => {
  it("is kept as the run's output: console.* with its level, raw stdout as info and stderr as error", async () => {
    const app = new App({ config: { execution }, tasks: [ConsoleJobs] });
    const running = app.run({ handleSignals: false });
    try {
      const outputs: string[] = [];
      const subscription = app.events.subscribe((e) => {
        if (e.type === 'taskOutput') outputs.push(e.line.message);
      });
      const ended = firstValueFrom(
        app.events.pipe(filter((e): e is Succeeded => e.type === 'taskSucceeded')),
      );
      app.session.get('chatty').run();
      const { runId } = await ended;
      subscription.unsubscribe();
      await app.shutdown();
      await running;
      const lines = await app.logs.output(runId);
      expect(lines.map((l) => [l.level, l.message])).toEqual([
        ['info', "loaded 40 rows { table: 'orders' }"],
        ['info', 'info line'],
        ['debug', 'debug line'],
        ['warn', '3 rows without a customer'],
        ['error', 'one row refused'],
        ['info', 'raw stdout'],
        ['error', 'raw stderr'],
      ]);
      // A Date made outside jest's sandbox (by the structured clone) is not `instanceof` its Date.
      expect(lines.every((l) => Object.prototype.toString.call(l.at) === '[object Date]')).toBe(true);
      expect(outputs).toEqual(lines.map((l) => l.message));
    } finally {
      await app.shutdown();
      await running;
    }
  });
});
