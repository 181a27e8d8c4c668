import { App, never, RunLogger, type RunLoggerFn, type SchedulerEvent } from '@apogee/core';
import { serveControl, type ControlServer } from '@apogee/http';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';
import { apogee, requireBuiltBinary, startApogee } from './fixtures/apogeeBinary';

// Each test starts node processes: generous time on a loaded machine, and events, not delays.
jest.setTimeout(30_000);

/** `<date> <time> LEVEL message [fields]`, as `apogee logs --run` prints a line. */
const line = (level: string, rest: string): RegExp =>
  new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${level.padEnd(5)} ${rest}$`);

let app: App;
let control: ControlServer;
/** Gates the live run waits on, opened by the test one at a time. */
let gates: (() => void)[];

beforeAll(requireBuiltBinary);

serveEachTest(
  () => {
    app = new App({ config: { timezone: 'UTC' } });
    gates = [];
    const gate = (): Promise<void> =>
      new Promise((open) => {
        gates.push(open);
      });
    app.task({ name: 'report', start: never, inject: [RunLogger()] }, (log: RunLoggerFn) => {
      log.info('fetching', { rows: 3 });
      log.warn('slow source');
      return 'done';
    });
    app.task({ name: 'long', start: never, inject: [RunLogger()] }, async (log: RunLoggerFn) => {
      log.info('step 1');
      await gate();
      log.info('step 2');
      await gate();
      log.error('step 3', { retry: false });
    });
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

/** The id of the next run of `taskName` to end, once it has succeeded. */
const succeeded = (taskName: string): Promise<string> =>
  firstValueFrom(
    app.events.pipe(
      filter(
        (e): e is Extract<SchedulerEvent, { type: 'taskSucceeded' }> =>
          e.type === 'taskSucceeded' && e.taskName === taskName,
      ),
    ),
  ).then((e) => e.runId);
const started = (taskName: string): Promise<SchedulerEvent> =>
  firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskStarted' && e.taskName === taskName)));
const liveRunId = (taskName: string): string => {
  const [live] = app.session.liveRuns(taskName);
  if (live === undefined) throw new Error(`${taskName} is not running`);
  return live.runId;
};

describe('apogee logs --run', () => {
  it("prints a finished run's output lines: time, level, message and fields", async () => {
    const done = succeeded('report');
    app.session.get('report').run();
    const runId = await done;
    const result = await apogee(['logs', '--run', runId, '--url', control.url]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(line('INFO', 'fetching \\{"rows":3\\}'));
    expect(lines[1]).toMatch(line('WARN', 'slow source'));
    const json = await apogee(['logs', '--run', runId, '--json', '--url', control.url]);
    expect(
      json.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      expect.objectContaining({ level: 'info', message: 'fetching', fields: { rows: 3 } }),
      expect.objectContaining({ level: 'warn', message: 'slow source' }),
    ]);
    expect((await apogee(['logs', '--run', 'no-such-run', '--url', control.url])).stdout).toBe('');
  });

  it('--follow prints the lines a live run writes as it writes them, and exits when the run ends', async () => {
    const start = started('long');
    app.session.get('long').run();
    await start;
    const runId = liveRunId('long');
    const cli = startApogee(['logs', '--run', runId, '--follow', '--url', control.url]);
    await cli.printed('step 1');
    gates.shift()?.();
    // Printed while the run still waits at its second gate: the command is following it live.
    await cli.printed('step 2');
    expect(app.session.liveRuns('long')).toHaveLength(1);
    gates.shift()?.();
    expect(await cli.exit).toBe(0);
    expect(cli.stdout().trimEnd().split('\n')).toEqual([
      expect.stringMatching(line('INFO', 'step 1')),
      expect.stringMatching(line('INFO', 'step 2')),
      expect.stringMatching(line('ERROR', 'step 3 \\{"retry":false\\}')),
    ]);
  });
});
