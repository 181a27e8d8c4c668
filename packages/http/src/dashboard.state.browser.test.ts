import { App, every, MemoryRunLog, never, Signal } from '@apogee/core';
import type { Page } from '@apogee/test-utils';
import { click, dashboardInChromium, nextEvent, text, until, WAIT } from './fixtures/dashboardPage';

/**
 * What the dashboard says about a task's state, in Chromium: status and last run from the task's
 * own state wherever they show, a running task's live run apart from its last finished one, and a
 * disabled task said to be disabled. Waits for what it needs to see, never for a fixed time.
 */
const chromium = dashboardInChromium();

async function open(app: App): Promise<{ page: Page; problems: string[]; failed: string[] }> {
  const opened = await chromium.open(app);
  const failed: string[] = [];
  opened.page.on('requestfailed', (request) => failed.push(request.url()));
  opened.page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${String(response.status())} ${response.url()}`);
  });
  // Reloaded once the listeners are on, so the page's own requests (its icon too) are all seen.
  await opened.page.reload({ waitUntil: 'load', ...WAIT });
  return { page: opened.page, problems: opened.problems, failed };
}

describe('the dashboard, on a task state', () => {
  it('takes status and last run from the task, not from a log it did not restore', async () => {
    // A MemoryRunLog has no restore(): the app starts with no state for "nightly", whose older
    // runs the log still lists.
    const log = new MemoryRunLog();
    const start = new Date(Date.now() - 3_600_000);
    const end = new Date(start.getTime() + 2000);
    log.append({ taskName: 'nightly', action: 'run', created: start, runId: 'old-1', start });
    log.append({
      taskName: 'nightly',
      action: 'success',
      created: end,
      runId: 'old-1',
      start,
      end,
      runtime: 2000,
    });
    const app = new App({ log });
    app.task({ name: 'nightly', start: never }, () => 'done');
    const { page, problems, failed } = await open(app);
    await page.waitForSelector('[data-task="nightly"] .strip i.outcome-success', WAIT);
    expect(await text(page, '[data-task="nightly"] .status')).toBe('never run');
    expect(await text(page, '[data-task="nightly"] .last')).toBe('');
    await click(page, '[data-task="nightly"]');
    await page.waitForSelector('#detail .runs li', WAIT);
    expect(await text(page, '#detail .facts dt:nth-of-type(3) + dd')).toBe('never');
    // Once it runs here, the run it made is its last run, everywhere.
    const succeeded = nextEvent(app, 'taskSucceeded', 'nightly');
    app.session.get('nightly').run();
    await succeeded;
    await page.waitForSelector('[data-task="nightly"] .status-success', WAIT);
    await until(
      page,
      '/^(now|\\d+(\\.\\d)? s ago)/.test(document.querySelector(\'[data-task="nightly"] .last\').textContent)',
    );
    expect(problems).toEqual([]);
    // No request failed: the page names its icon instead of asking /favicon.ico.
    expect(failed).toEqual([]);
  });

  it("shows a running task's live run, not its start next to the previous run's duration", async () => {
    const app = new App();
    let first = true;
    app.task({ name: 'sync', start: never, inject: [Signal()] }, async (signal: AbortSignal) => {
      if (first) {
        first = false;
        // The first run takes a while, so its duration reads in seconds and cannot be mistaken.
        await new Promise((resolve) => setTimeout(resolve, 1200));
        return;
      }
      await new Promise((resolve) => {
        signal.addEventListener('abort', resolve);
      });
    });
    const { page, problems } = await open(app);
    const done = nextEvent(app, 'taskSucceeded', 'sync');
    app.session.get('sync').run();
    await done;
    await until(
      page,
      '/ · 1\\.\\d s$/.test(document.querySelector(\'[data-task="sync"] .last\')?.textContent)',
    );
    const started = nextEvent(app, 'taskStarted', 'sync');
    app.session.get('sync').run();
    await started;
    try {
      // The row is drawn whole: once its status says running, its last run is from the same state.
      await page.waitForSelector('[data-task="sync"] .status-running', WAIT);
      expect(await text(page, '[data-task="sync"] .last')).toMatch(
        /^started (now|\d+(\.\d)? s ago) · running$/,
      );
    } finally {
      app.session.get('sync').terminate();
    }
    expect(problems).toEqual([]);
  });

  it('says in the Why section that a disabled task does not start, and shows no next time', async () => {
    const app = new App();
    app.task({ name: 'hourly', start: every('1 hour'), disabled: true }, () => undefined);
    const { page, problems } = await open(app);
    await click(page, '[data-task="hourly"]');
    await page.waitForSelector('#detail .why li', WAIT);
    expect(await text(page, '#detail .why-disabled')).toContain('hourly is disabled');
    expect(await page.$$('#detail .why .next')).toHaveLength(0);
    expect(problems).toEqual([]);
  });
});
