/**
 * Photographs the dashboard for the README: starts the example pipeline
 * (examples/src/control/dashboard.ts) with its control API, opens the dashboard in the system's
 * Chromium (headless, through puppeteer-core) and writes PNGs into docs/.
 *
 *   pnpm screenshots
 *
 * A minute-old app has little to show on a 24-hour timeline, so before it starts the script writes
 * the last day's history into its run log, as if it had run all day; everything after that (the
 * runs, the failures, the run started with parameters, the live progress) happens for real.
 */
import 'reflect-metadata';
import { MemoryRunLog, type App, type RunAction, type SchedulerEvent } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { launchChromium, type Page } from '@apogee/test-utils';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp } from '../examples/src/control/dashboard';

const DOCS = resolve(__dirname, '..', 'docs');
const MIN = 60_000;
const WAIT = { timeout: 60_000 };

/** One past run: its `run` record and its end record. */
function past(
  log: MemoryRunLog,
  taskName: string,
  start: number,
  ms: number,
  action: RunAction,
  extra: object = {},
): void {
  const runId = `h-${taskName}-${String(start)}`;
  log.append({ taskName, action: 'run', created: new Date(start), runId, start: new Date(start) });
  const end = new Date(start + ms);
  log.append({ taskName, action, created: end, runId, start: new Date(start), end, runtime: ms, ...extra });
}

/** A day of history, on each task's own schedule, ending a minute ago. */
function history(log: MemoryRunLog, now: number): void {
  const from = now - 24 * 60 * MIN;
  for (let t = from; t < now - MIN; t += 10 * MIN) {
    past(log, 'fetch_orders', t, 2400, 'success');
    past(log, 'transform', t + 2500, 800, 'success');
    past(log, 'load_warehouse', t + 3400, 5200, 'success');
  }
  let n = 0;
  for (let t = from + 2 * MIN; t < now - MIN; t += 5 * MIN) {
    n++;
    const fails = n % 9 === 0 || (n > 150 && n < 160);
    past(
      log,
      'sync_crm',
      t,
      fails ? 30_000 : 9000,
      fails ? 'fail' : 'success',
      fails ? { error: new Error('CRM answered 503 Service Unavailable') } : {},
    );
  }
  const twoAm = new Date(now);
  twoAm.setHours(2, 0, 0, 0);
  if (twoAm.getTime() > now) twoAm.setDate(twoAm.getDate() - 1);
  past(log, 'nightly_backup', twoAm.getTime() + 4000, 38 * MIN, 'success');
  past(log, 'send_report', now - 9 * 60 * MIN, 14_000, 'success');
  past(log, 'send_report', now - 3 * 60 * MIN, 12_000, 'success');
  past(log, 'rebuild_index', now - 14 * 60 * MIN, 25 * MIN, 'terminate');
  past(log, 'rebuild_index', now - 6 * 60 * MIN, 48 * MIN, 'success');
}

/** The next event of `type` for `taskName`. */
const settled = (app: App, type: SchedulerEvent['type'], taskName: string): Promise<SchedulerEvent> =>
  new Promise((resolve) => {
    const subscription = app.events.subscribe((event) => {
      if (event.type !== type || !('taskName' in event) || event.taskName !== taskName) return;
      subscription.unsubscribe();
      resolve(event);
    });
  });

async function shoot(page: Page, name: string): Promise<void> {
  // Let the last responses land and the canvas redraw before the picture.
  await new Promise((done) => setTimeout(done, 1500));
  const path = join(DOCS, name);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const log = new MemoryRunLog({ perTask: 2000 });
  history(log, Date.now());
  const app = createApp(() => undefined, log);
  const fetched = settled(app, 'taskSucceeded', 'load_warehouse');
  const running = app.run({ handleSignals: false });
  const control = await serveControl(app, { port: 0 });
  const browser = await launchChromium();
  try {
    await fetched;
    // Two more syncs: the third fails, as it does every third time.
    for (let i = 0; i < 2; i++) {
      const ended = settled(app, i === 1 ? 'taskFailed' : 'taskSucceeded', 'sync_crm');
      app.session.get('sync_crm').run();
      await ended;
    }
    app.session.get('rebuild_index').run();
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 1000 });
    await page.goto(control.url, { waitUntil: 'domcontentloaded', ...WAIT });
    await page.waitForSelector('[data-task="sync_crm"] .status-fail', WAIT);
    await page.click('[data-task="sync_crm"]');
    await page.waitForSelector('#detail .why li', WAIT);
    await page.waitForSelector('#detail .runs li.outcome-fail', WAIT);
    await page.click('#detail .runs li.outcome-fail');
    await page.waitForSelector('#detail .run-detail pre.error', WAIT);
    await shoot(page, 'dashboard.png');

    await page.click('[data-task="nightly_backup"]');
    await page.waitForSelector('#detail .why li li', WAIT);
    await shoot(page, 'dashboard-why.png');

    await page.click('[data-task="rebuild_index"]');
    await page.waitForSelector('#detail .live-run', WAIT);
    await page.click('[data-window="1"]');
    await shoot(page, 'dashboard-live.png');

    await page.click('[data-task="send_report"]');
    await page.waitForSelector('#detail [data-action="run-now"]', WAIT);
    await page.click('#detail [data-action="run-now"]');
    await page.waitForSelector('#run-dialog[open]', WAIT);
    await page.evaluate("document.getElementById('run-params').value = ''");
    await page.type('#run-params', '{\n  "recipient": "ops@example.com",\n  "format": \n}');
    await shoot(page, 'dashboard-run-now.png');
  } finally {
    app.session.get('rebuild_index').terminate();
    await browser.close();
    await control.close();
    await app.shutdown();
    await running;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
