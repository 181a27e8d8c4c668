import 'reflect-metadata';
import { runFor, start } from '@apogee/test-utils';
import { callingRun } from '../execution/callingRun';
import type { RunHandle } from '../execution/RunHandle';
import { App, every, MemoryRunLog, type OutputLine, type SchedulerEvent } from '../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

/**
 * What `@RunLogger()` does for a main or async run: a line through the run's own handle, bound
 * when the run starts (the calling run is known synchronously only, not past an `await`).
 */
function logger(): (message: string, fields?: Record<string, unknown>) => void {
  const run = callingRun.getStore() as RunHandle;
  return (message, fields) => {
    run.write({ at: new Date(), level: 'info', message, ...(fields === undefined ? {} : { fields }) });
  };
}

function write(message: string, fields?: Record<string, unknown>): void {
  logger()(message, fields);
}

const outputEvents = (events: SchedulerEvent[]): OutputLine[] =>
  events.flatMap((e) => (e.type === 'taskOutput' ? [e.line] : []));

describe('run output', () => {
  it('is kept with its run, emitted as taskOutput, and read back with app.logs.output(runId)', async () => {
    const app = new App();
    app.task({ name: 'report', start: every('1 minute') }, () => {
      write('fetching', { rows: 3 });
      write('done');
    });
    const running = await runFor(app, 10_000);
    const runId = (running.events.find((e) => e.type === 'taskStarted') as { runId: string }).runId;
    const expected = [
      { at: new Date('2026-05-04T08:00:00Z'), level: 'info', message: 'fetching', fields: { rows: 3 } },
      { at: new Date('2026-05-04T08:00:00Z'), level: 'info', message: 'done' },
    ];
    expect(await app.logs.output(runId)).toEqual(expected);
    expect(outputEvents(running.events)).toEqual(expected);
    expect(running.types()).toEqual([
      'schedulerStarted',
      'taskStarted:report',
      'taskOutput:report',
      'taskOutput:report',
      'taskSucceeded:report',
      'schedulerStopped',
    ]);
    expect(await app.logs.output('no-such-run')).toEqual([]);
  });

  it('is readable while its run is live', async () => {
    const app = new App();
    let finish: () => void = () => undefined;
    app.task({ name: 'long', start: every('1 hour') }, async () => {
      const write = logger();
      write('step 1');
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      write('step 2');
    });
    const running = await start(app);
    const [live] = app.session.liveRuns('long');
    expect((await app.logs.output(live?.runId ?? '')).map((l) => l.message)).toEqual(['step 1']);
    finish();
    await running.stop();
    expect((await app.logs.output(live?.runId ?? '')).map((l) => l.message)).toEqual(['step 1', 'step 2']);
  });

  it.each([
    ['lines', { maxLines: 3 }, 3, 'more than 3 lines or 262144 bytes'],
    ['bytes', { maxBytes: 15 }, 2, 'more than 1000 lines or 15 bytes'],
  ])('is bounded per run by %s, then one "truncated" line', async (_, runOutput, kept, said) => {
    const app = new App({ config: { runOutput } });
    app.task({ name: 'chatty', start: every('1 minute') }, () => {
      for (let i = 0; i < 10; i++) write(`line ${String(i)}`);
    });
    const running = await runFor(app, 70_000);
    const runIds = running.events.flatMap((e) => (e.type === 'taskStarted' ? [e.runId] : []));
    expect(runIds).toHaveLength(2);
    for (const runId of runIds) {
      const lines = await app.logs.output(runId);
      expect(lines.map((l) => l.message)).toEqual([
        ...['line 0', 'line 1', 'line 2'].slice(0, kept),
        `Apogee: output truncated: this run wrote ${said} (config.runOutput); the rest is dropped.`,
      ]);
      expect(lines.at(-1)?.level).toBe('warn');
    }
  });

  it("leaves the memory log with the run's records", async () => {
    const log = new MemoryRunLog({ perTask: 4 });
    const app = new App({ log });
    app.task({ name: 'tick', start: every('1 minute') }, () => {
      write('hello');
    });
    const running = await runFor(app, 190_000);
    const runIds = running.events.flatMap((e) => (e.type === 'taskStarted' ? [e.runId] : []));
    expect(runIds).toHaveLength(4);
    const kept = await Promise.all(runIds.map(async (id) => (await log.output(id)).length));
    // Four records per task: the last two runs; the first two runs' output went with their end records.
    expect(kept).toEqual([0, 0, 1, 1]);
  });

  it('refuses bounds that are not whole numbers, naming the setting', () => {
    expect(() => new App({ config: { runOutput: { maxLines: 0 } } })).toThrow(
      /config\.runOutput\.maxLines: 0/,
    );
  });
});
