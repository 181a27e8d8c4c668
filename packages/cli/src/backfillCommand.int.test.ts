import { App, ScheduledAt, cron } from '@apogee/core';
import { serveControl, type ControlServer } from '@apogee/http';
import { apogee, requireBuiltBinary } from './fixtures/apogeeBinary';
import { serveEachTest } from '@apogee/test-utils';

// Each test starts node processes: generous time on a loaded machine.
jest.setTimeout(30_000);

let app: App;
let control: ControlServer;
let started: Promise<void>;

beforeAll(requireBuiltBinary);

serveEachTest(
  () => {
    app = new App({ config: { timezone: 'UTC' } });
    started = new Promise((resolveStarted) => {
      app.events.subscribe((e) => {
        if (e.type === 'schedulerStarted') resolveStarted();
      });
    });
    app.task({ name: 'nightly', start: cron('0 3 1-3 1 *'), inject: [ScheduledAt()] }, (at: Date) => {
      if (at.getUTCDate() === 2) throw new Error('no data for Jan 2');
    });
    app.task({ name: 'manual' }, () => undefined);
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

const range = ['--from', '2026-01-01', '--to', '2026-01-04T00:00:00Z'];

describe('apogee backfill', () => {
  it('draws the progress, prints the report, and exits 5 when a run failed; again it skips every instant', async () => {
    await started;
    const first = await apogee(['backfill', 'nightly', ...range, '--url', control.url]);
    expect(first.stdout.trim()).toBe(
      'backfill nightly: 3 instants, 3 run, 1 failed, 0 skipped (they had a run)',
    );
    expect(first.code).toBe(5);
    // Not a terminal: one line per step.
    expect(first.stderr.trim().split('\n')).toEqual([
      'backfill nightly [------------------------]   0% 0 of 3 instants, 0 failed',
      'backfill nightly [########----------------]  33% 1 of 3 instants, 0 failed',
      'backfill nightly [################--------]  66% 2 of 3 instants, 1 failed',
      'backfill nightly [########################] 100% 3 of 3 instants, 1 failed',
    ]);
    // Again: every instant skipped, and the bar counts them.
    const again = await apogee(['backfill', 'nightly', ...range, '--url', control.url]);
    expect(again.code).toBe(0);
    expect(again.stderr.trim().split('\n')).toEqual([
      'backfill nightly [########################] 100% 3 of 3 instants (3 skipped), 0 failed',
    ]);
    // With --json: the report alone, no bar.
    const json = await apogee(['backfill', 'nightly', ...range, '--json', '--url', control.url]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ instants: 3, started: 0, skipped: 3, failed: 0 });
    expect(json.stderr).toBe('');
  });

  it('has its help, and refuses a bad command line (2) and what the app refuses (1)', async () => {
    await started;
    const help = await apogee(['backfill', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: apogee backfill <task> --from <date> --to <date>');
    expect((await apogee(['--help'])).stdout).toMatch(/^ {2}backfill <task>/m);
    expect((await apogee(['backfill', 'nightly', '--from', '2026-01-01', '--url', control.url])).code).toBe(
      2,
    );
    expect((await apogee(['backfill', '--url', control.url, ...range])).code).toBe(2);
    const manual = await apogee(['backfill', 'manual', ...range, '--url', control.url]);
    expect(manual.code).toBe(1);
    expect(manual.stderr).toContain('task.backfill() of task "manual": its start condition: "on request"');
    // As `apogee tasks` says it, so does `apogee why`.
    const why = await apogee(['why', 'manual', '--url', control.url]);
    expect(why.stdout).toContain('on request');
    expect(why.stdout).not.toContain('false');
    const unknown = await apogee(['backfill', 'nightlly', ...range, '--url', control.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Did you mean nightly?');
  });
});
