import { captureError, start } from '@apogee/test-utils';
import {
  App,
  ConfigurationError,
  ScheduledAt,
  cron,
  daily,
  every,
  type Execution,
  type SchedulerEvent,
} from '../../index';

const T0 = Date.parse('2026-05-04T12:00:00Z');
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const minute = (n: number, s = 0): string => new Date(T0 + n * 60_000 + s * 1000).toISOString().slice(11, 19);
const skips = (events: SchedulerEvent[]) =>
  events.flatMap((e) =>
    e.type === 'taskSkipped' ? [`${e.at.toISOString().slice(11, 19)} ${e.reason}`] : [],
  );

async function runsOf(app: App, name: string): Promise<string[]> {
  const records = await app.logs.records({ taskName: name, action: 'run' });
  return records.map(
    (r) =>
      `${r.created.toISOString().slice(11, 19)} for ${(r.scheduledAt ?? r.created).toISOString().slice(11, 19)}`,
  );
}

describe.each<Execution>(['async', 'main'])("overlap with execution '%s'", (execution) => {
  it("'skip' (the default) drops each due instant that passes while a run is live, counted and emitted once", async () => {
    const app = new App();
    const task = app.task({ name: 'sync', start: cron('* * * * *'), execution }, () => sleep(150_000));
    const running = await start(app);
    await running.advance(6 * 60_000);
    await running.stop();
    // 12:01 passed during the first run; 12:02 was still open when it ended at 12:02:30, but its
    // run would have been late: skipped too. 12:04 and 12:05 alike during the 12:03 run.
    expect(await runsOf(app, 'sync')).toEqual([
      `${minute(0)} for ${minute(0)}`,
      `${minute(3)} for ${minute(3)}`,
      `${minute(6)} for ${minute(6)}`,
    ]);
    expect(skips(running.events)).toEqual([
      `${minute(1)} running`,
      `${minute(2)} running`,
      `${minute(4)} running`,
      `${minute(5)} running`,
    ]);
    expect(task.skipped).toBe(4);
  });

  it("'queue' starts one waiting run when the live one ends, and merges further due instants into it", async () => {
    const app = new App();
    const task = app.task({ name: 'sync', start: cron('* * * * *'), execution, overlap: 'queue' }, () =>
      sleep(150_000),
    );
    const running = await start(app);
    await running.advance(3 * 60_000);
    await running.stop();
    expect(await runsOf(app, 'sync')).toEqual([
      `${minute(0)} for ${minute(0)}`,
      `${minute(2, 30)} for ${minute(1)}`,
    ]);
    expect(skips(running.events)).toEqual([`${minute(2)} merged`]);
    expect(task.skipped).toBe(1);
  });

  it("'replace' terminates the live run and starts a new one for the instant that came", async () => {
    const app = new App();
    const reasons: string[] = [];
    app.task(
      { name: 'sync', start: cron('* * * * *'), execution, overlap: 'replace', inject: [ScheduledAt()] },
      async (at: Date) => {
        await sleep(90_000);
        reasons.push(`finished the run for ${at.toISOString().slice(11, 19)}`);
      },
    );
    const running = await start(app);
    await running.advance(60_000);
    const types = running.types().filter((t) => t.startsWith('task'));
    await running.stop();
    expect(types).toEqual(['taskStarted:sync', 'taskTerminated:sync', 'taskStarted:sync']);
    const terminated = running.events.find((e) => e.type === 'taskTerminated');
    expect(String(terminated?.type === 'taskTerminated' ? terminated.reason : '')).toContain(
      'overlap: replace',
    );
    expect(await runsOf(app, 'sync')).toEqual([
      `${minute(0)} for ${minute(0)}`,
      `${minute(1)} for ${minute(1)}`,
    ]);
  });
});

describe('overlap', () => {
  it("'allow' overlaps runs, as multilaunch: true does", async () => {
    const app = new App();
    app.task({ name: 'allow', start: every('1 second'), overlap: 'allow' }, () => sleep(3500));
    app.task({ name: 'multi', start: every('1 second'), multilaunch: true }, () => sleep(3500));
    const running = await start(app);
    await running.advance(2000);
    await running.stop();
    expect((await app.logs.records({ taskName: 'allow', action: 'run' })).length).toBe(3);
    expect((await app.logs.records({ taskName: 'multi', action: 'run' })).length).toBe(3);
  });

  it('does not count a condition that stays true until a run (every): it starts when the live run ends', async () => {
    const app = new App();
    const task = app.task({ name: 'poll', start: every('10 seconds') }, () => sleep(25_000));
    const running = await start(app);
    await running.advance(30_000);
    await running.stop();
    expect(
      (await app.logs.records({ taskName: 'poll', action: 'run' })).map((r) => r.created.getTime() - T0),
    ).toEqual([0, 25_000]);
    expect(task.skipped).toBe(0);
  });

  it('does not count an instant the live run covered (a daily period it completed) as skipped', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const task = app.task({ name: 'report', start: daily.after('12:10') }, () => sleep(60_000));
    const running = await start(app);
    await running.advance(9.5 * 60_000);
    task.run();
    await running.advance(5 * 60_000);
    await running.stop();
    // The batch ran 12:09:30-12:10:30: the period opened during it, and its success completed it.
    expect((await app.logs.records({ taskName: 'report', action: 'run' })).length).toBe(1);
    expect(task.skipped).toBe(0);
  });

  it('takes the default from config.overlap, and a task option wins over it', async () => {
    const app = new App({ config: { overlap: 'queue' } });
    const queued = app.task({ name: 'queued', start: cron('* * * * *') }, () => sleep(150_000));
    const skipping = app.task({ name: 'skipping', start: cron('* * * * *'), overlap: 'skip' }, () =>
      sleep(150_000),
    );
    const running = await start(app);
    await running.advance(3 * 60_000);
    await running.stop();
    expect(queued.definition.overlap).toBe('queue');
    expect(skipping.skipped).toBe(2);
    expect(queued.skipped).toBe(1);
    // 12:01 counts as skipped once its slot is over, 12:02 when the run it came during ended.
    expect(skips(running.events).sort()).toEqual([
      `${minute(1)} running`,
      `${minute(2)} merged`,
      `${minute(2)} running`,
    ]);
  });

  it('rejects multilaunch that contradicts overlap, naming both', () => {
    const app = new App();
    const error = captureError(() =>
      app.task(
        { name: 'both', start: every('1 second'), multilaunch: true, overlap: 'queue' },
        () => undefined,
      ),
    );
    expect(String(error)).toContain('Task "both" multilaunch');
    expect(String(error)).toContain("overlap 'queue'");
    expect(captureError(() => new App({ config: { multilaunch: false, overlap: 'allow' } }))).toBeInstanceOf(
      ConfigurationError,
    );
    expect(captureError(() => new App({ config: { overlap: 'wait' as never } }))).toBeInstanceOf(
      ConfigurationError,
    );
  });
});
