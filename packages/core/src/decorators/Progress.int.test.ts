import { filter, firstValueFrom, takeWhile, toArray } from 'rxjs';
import { App } from '../app/App';
import { ApogeeError } from '../errors/ApogeeError';
import { RemoteJobs } from '../execution/remote/fixtures/remoteJobs';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import { Progress } from './Progress';

// Thread and process runs use real workers and real time: wait for events, never for a delay.
jest.setTimeout(30_000);

describe.each(['main', 'async', 'thread', 'process'] as const)('@Progress() in %s execution', (mode) => {
  it('emits taskProgress for each report, in order, and throws into the task on a fraction out of range', async () => {
    const app = new App({ config: { execution: mode }, tasks: [RemoteJobs] });
    const running = app.run({ handleSignals: false });
    try {
      const events = firstValueFrom(
        app.events.pipe(
          filter((e) => 'taskName' in e && e.taskName === 'steps'),
          takeWhile((e) => e.type !== 'taskSucceeded' && e.type !== 'taskFailed', true),
          toArray(),
        ),
      );
      const runId = app.session.get('steps').run();
      const seen = await events;
      expect(seen.map((e) => e.type)).toEqual([
        'taskStarted',
        'taskProgress',
        'taskProgress',
        'taskSucceeded',
      ]);
      expect(seen[1]).toMatchObject({ runId, fraction: 0.5, message: 'half' });
      expect(seen[2]).toMatchObject({ runId, fraction: 1, message: 'done' });
      const end = seen[3] as Extract<SchedulerEvent, { type: 'taskSucceeded' }>;
      expect(end.returnValue).toMatch(
        /^Task "steps" reported progress 2: @Progress\(\) takes a fraction from 0 to 1/,
      );
    } finally {
      await app.shutdown();
      await running;
    }
  });
});

describe('@Progress()', () => {
  it('updates the live run, which app.session.liveRuns() shows until it ends', async () => {
    const app = new App();
    let report: (fraction: number, message?: string) => void = () => undefined;
    let finish: () => void = () => undefined;
    app.task({ name: 'import', inject: [Progress()] }, (progress: typeof report) => {
      report = progress;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    const running = app.run({ handleSignals: false });
    const started = firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskStarted')));
    const runId = app.session.get('import').run();
    await started;
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.session.liveRuns('import')).toEqual([
      { taskName: 'import', runId, started: expect.any(Date) as unknown },
    ]);
    report(0.3, 'a third');
    expect(app.session.liveRuns()).toEqual([
      {
        taskName: 'import',
        runId,
        started: expect.any(Date) as unknown,
        progress: { fraction: 0.3, message: 'a third' },
      },
    ]);
    expect(() => {
      report(Number.NaN);
    }).toThrow(ApogeeError);
    const ended = firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskSucceeded')));
    finish();
    await ended;
    expect(app.session.liveRuns()).toEqual([]);
    await app.shutdown();
    await running;
  });

  it('in a condition is refused with an error naming the decorator', async () => {
    const app = new App();
    app.cond({ name: 'ready', inject: [Progress()] }, () => true);
    app.task({ name: 'import', start: 'ready' }, () => undefined);
    const failed = firstValueFrom(app.events.pipe(filter((e) => e.type === 'conditionFailed')));
    const running = app.run({ handleSignals: false });
    const event = await failed;
    if (event.type !== 'conditionFailed') throw new Error(event.type);
    expect(String(event.error)).toMatch(/@Progress\(\) was asked for outside a run of task "import"/);
    await app.shutdown();
    await running;
  });
});
