import { afterSuccess, App, daily, every, never, Progress, Signal } from '@apogee/core';
import { serveControl, type ControlServer } from '@apogee/http';
import { apogee, requireBuiltBinary } from './fixtures/apogeeBinary';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';

// Each test starts node processes: generous time on a loaded machine, and events, not delays.
jest.setTimeout(30_000);

let app: App;
let control: ControlServer;

beforeAll(requireBuiltBinary);

serveEachTest(
  () => {
    app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'fetch', start: never }, () => 'data');
    app.task({ name: 'report', start: daily.and(afterSuccess('fetch')), disabled: true }, () => undefined);
    app.task({ name: 'tick', start: every('1 hour') }, () => undefined);
    app.task({ name: 'import', inject: [Progress()] }, (progress: (f: number, m?: string) => void) => {
      progress(0.5, 'half');
      return 'imported';
    });
    app.task({ name: 'broken' }, () => {
      throw new Error('disk full');
    });
    app.task(
      { name: 'slow', inject: [Signal()] },
      (signal: AbortSignal) =>
        new Promise((resolveRun) => {
          signal.addEventListener('abort', resolveRun);
        }),
    );
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

describe('apogee commands', () => {
  it('lists the new commands in its help, each with its own', async () => {
    const main = await apogee(['--help']);
    for (const command of ['why', 'terminate', 'disable', 'enable']) {
      expect(main.stdout).toMatch(new RegExp(`^  ${command} <task>`, 'm'));
      const help = await apogee([command, '--help']);
      expect(help).toMatchObject({ code: 0 });
      expect(help.stdout).toContain(`Usage: apogee ${command} <task>`);
    }
    expect((await apogee(['trigger', '--help'])).stdout).toContain('--wait');
  });

  it('takes options before the command as well as after it', async () => {
    const before = await apogee(['--url', control.url, '--json', 'tasks']);
    expect(before.code).toBe(0);
    expect((JSON.parse(before.stdout) as { name: string }[]).map((t) => t.name)).toContain('tick');
    const mixed = await apogee(['--url', control.url, 'trigger', '-p', 'a=1', 'fetch']);
    expect(mixed).toMatchObject({ code: 0 });
    expect(mixed.stdout).toMatch(/^queued a run of fetch with \{"a":1\} \(run \S+\)$/m);
    expect((await apogee(['--colour', 'tasks'])).code).toBe(2);
  });

  it('why: says the task is disabled and shows its condition as a tree with ✓, ✗, reasons and next instants', async () => {
    const why = await apogee(['why', 'report', '--url', control.url]);
    expect(why.code).toBe(0);
    expect(why.stdout.trimEnd().split('\n')).toEqual([
      'report is disabled: it does not start on its condition (apogee enable report).',
      'Start condition of report:',
      "✗ daily & after task 'fetch' succeeded",
      '├─ ✓ daily: has not run today yet',
      "└─ ✗ after task 'fetch' succeeded: fetch has not succeeded yet",
    ]);
    const tick = await apogee(['--url', control.url, 'why', 'tick']);
    const next = app.session
      .get('tick')
      .nextRun()
      ?.toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    expect(tick.stdout).toContain(`✗ every 1 hour: next ${String(next)}`);
    const json = await apogee(['why', 'tick', '--json', '--url', control.url]);
    expect(JSON.parse(json.stdout)).toMatchObject({ condition: 'every 1 hour', value: false });
    expect((await apogee(['why', '--url', control.url])).code).toBe(2);
  });

  it('disable and enable set task.disabled', async () => {
    const off = await apogee(['disable', 'tick', '--url', control.url]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('tick is disabled');
    expect(app.session.get('tick').disabled).toBe(true);
    const on = await apogee(['enable', 'tick', '--url', control.url]);
    expect(on.stdout).toContain('tick is enabled');
    expect(app.session.get('tick').disabled).toBe(false);
  });

  it('trigger --wait shows the progress the run reports and exits 0 with its return value', async () => {
    const result = await apogee(['trigger', 'import', '--wait', '--url', control.url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^import \S+ \[#{12}-{12}\] {2}50% half$/m);
    expect(result.stdout.trimEnd()).toMatch(/^import \S+ succeeded in \d+\.\d s: "imported"$/);
  });

  it('trigger --wait exits 5 with the error when the run fails', async () => {
    const result = await apogee(['trigger', 'broken', '--wait', '--url', control.url]);
    expect(result.code).toBe(5);
    // The outcome, failure included, goes to stdout; progress and the queued line to stderr.
    expect(result.stdout.trimEnd()).toMatch(/^broken \S+ failed after \d+\.\d s: disk full$/);
    expect(result.stderr).toMatch(/^queued run \S+ of broken; waiting/m);
    expect(result.stderr).not.toContain('failed after');
  });

  it('why shows a running run; terminate stops it; trigger --wait on it exits 6', async () => {
    expect((await apogee(['terminate', 'slow', '--url', control.url])).stdout).toContain(
      'slow was not running',
    );
    const started = firstValueFrom(
      app.events.pipe(filter((e) => e.type === 'taskStarted' && e.taskName === 'slow')),
    );
    const waiting = apogee(['trigger', 'slow', '--wait', '--url', control.url]);
    await started;
    const why = await apogee(['why', 'slow', '--url', control.url]);
    const [live] = app.session.liveRuns('slow');
    expect(why.stdout).toContain(`slow is running: run ${String(live?.runId)} since `);
    // The task list says the same: running, and the disabled task disabled (not its last status).
    const tasks = await apogee(['tasks', '--url', control.url]);
    expect(tasks.stdout).toMatch(/^slow +running +\S/m);
    expect(tasks.stdout).toMatch(/^report +disabled +/m);
    const terminated = await apogee(['terminate', 'slow', '--url', control.url]);
    expect(terminated).toMatchObject({ code: 0 });
    expect(terminated.stdout).toContain('terminated the running runs of slow');
    const result = await waiting;
    expect(result.code).toBe(6);
    expect(result.stdout.trimEnd()).toMatch(
      /^slow \S+ was terminated after \d+\.\d s: terminated by task\.terminate\(\)$/,
    );
  });
});
