import {
  afterSuccess,
  all,
  App,
  Arg,
  cron,
  every,
  never,
  Private,
  Progress,
  ScheduledAt,
  Signal,
} from '@apogee/core';
import type { Page } from '@apogee/test-utils';
import {
  click,
  dashboardInChromium,
  js,
  nextEvent,
  text,
  until,
  WAIT,
  type OpenDashboard,
} from './fixtures/dashboardPage';

/**
 * The dashboard's panel for one task in Chromium: why it runs or not, disable and enable, the
 * progress of a live run. Every step waits for what it needs to see; nothing is timed.
 */
const chromium = dashboardInChromium();
let opened: OpenDashboard | undefined;

async function select(app: App, name: string): Promise<Page> {
  opened = await chromium.open(app);
  const { page } = opened;
  await page.waitForSelector(`[data-task="${name}"]`, WAIT);
  await click(page, `[data-task="${name}"]`);
  await page.waitForSelector(`#detail [data-action="run-now"]`, WAIT);
  return page;
}

describe('the task panel, in Chromium', () => {
  it("shows why a task does not run: its condition's tree, what holds, what does not and when it can", async () => {
    const app = new App();
    app.task({ name: 'fetch', start: never }, () => undefined);
    app.task({ name: 'load', start: all(every('1 hour'), afterSuccess('fetch')) }, () => undefined);
    const page = await select(app, 'load');
    await page.waitForSelector('#detail .why li', WAIT);
    const nodes = await js<string[]>(
      page,
      "[...document.querySelectorAll('#detail .why .node')].map((n) => n.textContent)",
    );
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toMatch(/^✗/);
    expect(nodes.some((n) => n.includes("after task 'fetch'") && n.startsWith('✗'))).toBe(true);
    expect(opened?.problems).toEqual([]);
  });

  it('disables and enables a task, each after confirmation', async () => {
    const app = new App();
    app.task({ name: 'nightly', start: every('1 hour') }, () => undefined);
    const page = await select(app, 'nightly');
    await click(page, '#detail [data-action="toggle"]');
    await page.waitForSelector('#confirm-dialog[open]', WAIT);
    // Cancelled: nothing changes.
    await click(page, '#confirm-dialog button[value="cancel"]');
    await until(page, "!document.getElementById('confirm-dialog').open");
    expect(app.session.get('nightly').disabled).toBe(false);
    await click(page, '#detail [data-action="toggle"]');
    await page.waitForSelector('#confirm-dialog[open]', WAIT);
    expect(await text(page, '#confirm-message')).toContain('Disable "nightly"?');
    await click(page, '#confirm-ok');
    await page.waitForSelector('[data-task="nightly"] .status-disabled', WAIT);
    expect(app.session.get('nightly').disabled).toBe(true);
    await until(page, `document.querySelector('#detail [data-action="toggle"]').textContent === 'Enable'`);
    await click(page, '#detail [data-action="toggle"]');
    await page.waitForSelector('#confirm-dialog[open]', WAIT);
    await click(page, '#confirm-ok');
    await until(page, `!document.querySelector('[data-task="nightly"] .status-disabled')`);
    expect(app.session.get('nightly').disabled).toBe(false);
    expect(opened?.problems).toEqual([]);
  });

  it('shows the progress a live run reports', async () => {
    const app = new App();
    app.task(
      { name: 'rebuild', start: never, inject: [Signal(), Progress()] },
      (signal: AbortSignal, progress: (fraction: number, message?: string) => void) =>
        new Promise((resolve) => {
          progress(0.25, 'shard 1 of 4');
          signal.addEventListener('abort', resolve);
        }),
    );
    const page = await select(app, 'rebuild');
    const reported = nextEvent(app, 'taskProgress', 'rebuild');
    app.session.get('rebuild').run();
    await reported;
    await page.waitForSelector('#detail .live-run progress', WAIT);
    await until(
      page,
      `document.querySelector('#detail .live-run .progress').textContent === '25% shard 1 of 4'`,
    );
    const ended = nextEvent(app, 'taskTerminated', 'rebuild');
    app.session.get('rebuild').terminate();
    await ended;
    await until(page, "!document.querySelector('#detail .live-run')");
    expect(opened?.problems).toEqual([]);
  });

  it('shows the batch parameters of a run started through the API, not the page, a Private masked', async () => {
    const app = new App();
    const seen: unknown[] = [];
    app.task(
      {
        name: 'export',
        start: never,
        parameters: { region: 'eu' },
        inject: [Arg('user'), Arg('token'), Arg('region')],
      },
      (user: string, token: string, region: string) => {
        seen.push([user, token, region]);
        return 'exported';
      },
    );
    const page = await select(app, 'export');
    const succeeded = nextEvent(app, 'taskSucceeded', 'export');
    app.session.get('export').run({ user: 'ada', token: new Private('hunter2') });
    await succeeded;
    expect(seen).toEqual([['ada', 'hunter2', 'eu']]);
    await page.waitForSelector('#detail .runs li.outcome-success', WAIT);
    await click(page, '#detail .runs li');
    await page.waitForSelector('#detail .run-detail pre.params', WAIT);
    const shown = JSON.parse((await text(page, '#detail .run-detail pre.params')) ?? '') as unknown;
    expect(shown).toEqual({ region: 'eu', user: 'ada', token: '*****' });
    expect(await text(page, '#detail .run-detail')).not.toContain('hunter2');
    expect(await text(page, '#detail .run-detail pre.params + p')).toContain("this run's batch parameters");
    expect(opened?.problems).toEqual([]);
  });
  it('backfills a range after confirmation, and offers no backfill for a task run on request', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const seen: string[] = [];
    app.task({ name: 'manual' }, () => undefined);
    app.task({ name: 'nightly', start: cron('0 3 1-3 1 *'), inject: [ScheduledAt()] }, (at: Date) => {
      seen.push(at.toISOString());
    });
    const page = await select(app, 'manual');
    expect(await text(page, '#detail .facts dd')).toBe('on request');
    expect(await js(page, `!document.querySelector('#detail [data-action="backfill"]')`)).toBe(true);
    await click(page, '[data-task="nightly"]');
    await page.waitForSelector('#detail [data-action="backfill"]', WAIT);
    // Sets the dialog's range (in the browser's time zone, as a user's input is) to 1 to 4 January.
    const setRange = () =>
      js(
        page,
        `(() => {
          const local = (iso) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19); };
          for (const [id, iso] of [['backfill-from', '2026-01-01T00:00:00Z'], ['backfill-to', '2026-01-04T00:00:00Z']]) {
            const input = document.getElementById(id);
            input.value = local(iso);
            input.dispatchEvent(new Event('input'));
          }
        })()`,
      );
    await click(page, '#detail [data-action="backfill"]');
    await page.waitForSelector('#backfill-dialog[open]', WAIT);
    expect(await text(page, '#backfill-title')).toBe('Backfill "nightly"');
    await setRange();
    // Cancelled: nothing runs.
    await click(page, '#backfill-dialog button[value="cancel"]');
    await until(page, "!document.getElementById('backfill-dialog').open");
    await click(page, '#detail [data-action="backfill"]');
    await page.waitForSelector('#backfill-dialog[open]', WAIT);
    await setRange();
    await click(page, '#backfill-ok');
    await until(page, `document.getElementById('toast').textContent.startsWith('Backfilled')`);
    expect(await text(page, '#toast')).toBe(
      'Backfilled "nightly": 3 instants, 3 run, 0 failed, 0 skipped (they had a run).',
    );
    expect(seen).toEqual(['01', '02', '03'].map((d) => `2026-01-${d}T03:00:00.000Z`));
    expect(opened?.problems).toEqual([]);
  });
});
