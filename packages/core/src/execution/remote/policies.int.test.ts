import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { App, type SchedulerEvent } from '../../index';
import { PolicyJobs } from './fixtures/policyJobs';

/** Real workers, real time: each test waits for events, with generous deadlines on a loaded machine. */
jest.setTimeout(60_000);

const of = (type: SchedulerEvent['type'], taskName: string, n: number) => (app: App) =>
  firstValueFrom(
    app.events.pipe(
      filter((e) => e.type === type && 'taskName' in e && e.taskName === taskName),
      take(n),
      toArray(),
    ),
  );

describe.each(['thread', 'process'] as const)('run policies in %s execution', (mode) => {
  it("skips the slots that pass while a run is live, and injects each run's slot", async () => {
    const app = new App({ config: { execution: mode, instantShutdown: true }, tasks: [PolicyJobs] });
    const succeeded = of('taskSucceeded', 'slow', 2)(app);
    const skipped = of('taskSkipped', 'slow', 1)(app);
    const running = app.run({ handleSignals: false });
    try {
      const [first, second] = await succeeded;
      await skipped;
      const values = [first, second].map((e) => (e?.type === 'taskSucceeded' ? String(e.returnValue) : ''));
      for (const value of values) expect(value).toMatch(/:\d\d\.000Z$/);
      expect(app.session.get('slow').skipped).toBeGreaterThanOrEqual(1);
      const runs = await app.logs.records({ taskName: 'slow', action: 'run' });
      // Never two live at once: each run starts after the previous one ended.
      const ends = await app.logs.records({ taskName: 'slow', action: 'success' });
      expect((runs[1]?.start?.getTime() ?? 0) >= (ends[0]?.end?.getTime() ?? Infinity)).toBe(true);
    } finally {
      await app.shutdown();
      await running;
    }
  });

  it("'replace' terminates the live run in its worker and starts the next", async () => {
    const app = new App({ config: { execution: mode, instantShutdown: true }, tasks: [PolicyJobs] });
    app.session.get('slow').disable();
    app.session.get('replaced').enable();
    const terminated = of('taskTerminated', 'replaced', 2)(app);
    const running = app.run({ handleSignals: false });
    try {
      const events = await terminated;
      for (const e of events)
        expect(String(e.type === 'taskTerminated' ? e.reason : '')).toContain('overlap: replace');
    } finally {
      await app.shutdown();
      await running;
    }
  });
});
