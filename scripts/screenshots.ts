/**
 * Photographs the dashboard for the README: starts the example pipeline
 * (examples/src/control/dashboard.ts) with its control API, opens the dashboard in the system's
 * Chromium (headless, through puppeteer-core) and writes PNGs into docs/.
 *
 *   pnpm screenshots
 *
 * A minute-old app has little to show on a 24-hour timeline, so before it starts the script writes
 * the last day's history into an SQLite run log in a temporary directory, as if it had run all day;
 * the app restores it when it starts, as it would after a restart, so every status and last run
 * shown is the app's own. Everything after that (the runs, the failures, the run started with
 * parameters, the live progress) happens for real.
 */
import 'reflect-metadata';
import type { App, RunAction, SchedulerEvent } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { SqliteRunLog } from '@apogee/sqlite';
import { launchChromium, type Page } from '@apogee/test-utils';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../examples/src/control/dashboard';

const ROOT = resolve(__dirname, '..');
const DOCS = join(ROOT, 'docs');
const MIN = 60_000;
const WAIT = { timeout: 60_000 };

/** One past run: its `run` record and its end record. */
function past(
  log: SqliteRunLog,
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
function history(log: SqliteRunLog, now: number): void {
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
      fails ? { error: crmError() } : {},
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

/**
 * A CRM failure for the history. Its stack is the script's, with paths relative to the project
 * root: the pictures show no directory of the machine that took them.
 */
function crmError(): Error {
  const error = new Error('CRM answered 503 Service Unavailable');
  error.stack = error.stack?.replaceAll(`${ROOT}/`, '').replaceAll('file://', '');
  return error;
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
  const dir = mkdtempSync(join(tmpdir(), 'apogee-screenshots-'));
  const file = join(dir, 'runs.db');
  const seed = new SqliteRunLog(file);
  history(seed, Date.now());
  seed.close();
  const log = new SqliteRunLog(file);
  const app = createApp(() => undefined, log);
  const fetched = settled(app, 'taskSucceeded', 'load_warehouse');
  const running = app.run({ handleSignals: false });
  const control = await serveControl(app, { port: 0 });
  const browser = await launchChromium();
  try {
    // The restored history says fetch_orders ran minutes ago: the next fetch is not due yet.
    app.session.get('fetch_orders').run();
    await fetched;
    // Syncs until one fails, as every third does: the table shows sync_crm failed.
    for (let failed = false; !failed;) {
      const ended = Promise.race([
        settled(app, 'taskFailed', 'sync_crm'),
        settled(app, 'taskSucceeded', 'sync_crm'),
      ]);
      app.session.get('sync_crm').run();
      failed = (await ended).type === 'taskFailed';
    }
    app.session.get('rebuild_index').run();
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 1000 });
    await page.goto(control.url, { waitUntil: 'domcontentloaded', ...WAIT });
    await page.waitForSelector('[data-task="sync_crm"] .status-fail', WAIT);
    await page.click('[data-task="sync_crm"]');
    await page.waitForSelector('#detail .why li', WAIT);
    // A failure from the history, whose stack names no local directory (the one that just
    // happened names this checkout's).
    const older = '#detail .runs li.outcome-fail[data-run^="h-"]';
    await page.waitForSelector(older, WAIT);
    await page.click(older);
    await page.waitForSelector('#detail .run-detail pre.error', WAIT);
    await shoot(page, 'dashboard.png');

    await page.click('[data-task="nightly_backup"]');
    await page.waitForSelector('#detail .why li li', WAIT);
    await shoot(page, 'dashboard-why.png');

    await page.click('[data-task="rebuild_index"]');
    await page.waitForSelector('#detail .live-run', WAIT);
    await page.click('[data-window="1"]');
    await shoot(page, 'dashboard-live.png');

    // A run's output: the transform that just ran in a worker thread, what it wrote to its console.
    await page.click('[data-task="transform"]');
    const latest = '#detail .runs li.outcome-success:not([data-run^="h-"])';
    await page.waitForSelector(latest, WAIT);
    await page.click(latest);
    await page.waitForSelector('#detail .run-detail .output-lines li', WAIT);
    await shoot(page, 'dashboard-output.png');

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
    log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
