import 'reflect-metadata';
import { afterSuccess, all, App, Arg, every, never, Private, Progress, Signal } from '@apogee/core';
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
});
