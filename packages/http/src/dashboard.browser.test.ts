import { App, Arg, every, MemoryRunLog, never, Signal } from '@apogee/core';
import type { Page } from '@apogee/test-utils';
import {
  click,
  dashboardInChromium,
  js,
  nextEvent,
  retype,
  rowCount,
  text,
  until,
  WAIT,
  $,
  type OpenDashboard,
} from './fixtures/dashboardPage';

/**
 * The dashboard in a real browser: the system's Chromium, headless, through puppeteer-core. The
 * machine may be loaded, so every step waits for what it needs to see, with generous deadlines,
 * and nothing is asserted about speed.
 */
const chromium = dashboardInChromium();
let app: App;
let opened: OpenDashboard | undefined;
let problems: string[];

/** Opens the dashboard on `app` (the test's own). */
async function open(token?: string): Promise<Page> {
  opened = await chromium.open(app, token);
  problems = opened.problems;
  return opened.page;
}

const next = (type: Parameters<typeof nextEvent>[1], taskName: string) => nextEvent(app, type, taskName);

describe('the dashboard, in Chromium', () => {
  it('lists and filters the tasks, shows a failing task as failed, and draws its runs on a timeline that zooms and explains them', async () => {
    app = new App();
    app.task({ name: 'fine', start: every('1 hour') }, () => 'ok');
    app.task({ name: 'broken', start: every('1 hour') }, () => {
      throw new Error('the database is down');
    });
    const failed = next('taskFailed', 'broken');
    const page = await open();
    await failed;
    await page.waitForSelector('[data-task="fine"]', WAIT);
    await page.waitForSelector('[data-task="broken"] .status-fail', WAIT);
    expect(await text(page, '[data-task="broken"] .status')).toBe('failed');
    expect(await text(page, '[data-task="fine"] .condition')).toBe('every 1 hour');
    await page.waitForSelector('[data-task="broken"] .strip i.outcome-fail', WAIT);
    // One bar per run, drawn on the canvas: the timeline says how many it drew.
    await until(page, "Number(document.getElementById('timeline').dataset.bars) >= 2");
    expect(await js(page, "document.getElementById('timeline').dataset.lanes")).toBe('2');
    expect(await page.$$('#timeline canvas')).toHaveLength(1);
    // Hovering the run of "broken" (the second lane; its run sits at the right edge, just now)
    // shows its details.
    const over = await js<{ right: number; top: number; height: number }>(
      page,
      "(({ right, top, height }) => ({ right, top, height }))(document.querySelector('#timeline .u-over').getBoundingClientRect())",
    );
    await page.mouse.move(over.right - 2, over.top + over.height * 0.75);
    await until(page, "!document.querySelector('#timeline .tooltip').hidden");
    expect(await text(page, '#timeline .tooltip')).toMatch(
      /^broken\nfailed\n.*\ntook .*\nrun \S+ \(click for detail\)$/,
    );
    // Zoom: the buttons pick the last 1 h (or 6, 24); a drag across half of a 24-hour chart shows
    // about 12 hours.
    const span =
      "(() => { const d = document.getElementById('timeline').dataset; return Number(d.to) - Number(d.from); })()";
    await click(page, '[data-window="1"]');
    await until(page, `${span} === 3600000`);
    await click(page, '[data-window="24"]');
    await until(page, `${span} === 86400000`);
    const box = await js<{ left: number; width: number; top: number }>(
      page,
      "(({ left, width, top }) => ({ left, width, top }))(document.querySelector('#timeline .u-over').getBoundingClientRect())",
    );
    await page.mouse.move(box.left + box.width * 0.25, box.top + 10);
    await page.mouse.down();
    await page.mouse.move(box.left + box.width * 0.5, box.top + 10, { steps: 5 });
    await page.mouse.move(box.left + box.width * 0.75, box.top + 10, { steps: 5 });
    await page.mouse.up();
    await until(page, `${span} > 11 * 3600000 && ${span} < 13 * 3600000`);
    // Filtering by status.
    await page.select('#status-filter', 'failed');
    await until(page, "document.querySelectorAll('#table-rows .row').length === 1");
    expect(await js(page, "document.querySelector('#table-rows .row').dataset.task")).toBe('broken');
    await page.select('#status-filter', '');
    await until(page, "document.querySelectorAll('#table-rows .row').length === 2");
    // The run's detail: error and stack.
    await click(page, '[data-task="broken"]');
    // The why tree arrives with the runs; wait for both, so the list does not move under the click.
    await page.waitForSelector('#detail .why li', WAIT);
    await page.waitForSelector('#detail .runs li', WAIT);
    await click(page, '#detail .runs li');
    await page.waitForSelector('#detail .run-detail pre.error', WAIT);
    expect(await text(page, '#detail .run-detail pre.error')).toBe('Error: the database is down');
    expect(await text(page, '#detail .run-detail pre.stack')).toContain('dashboard.browser.test.ts');
    expect(problems).toEqual([]);
  });

  it('runs a task now with parameters from the JSON editor, refusing invalid JSON', async () => {
    app = new App();
    const seen: unknown[] = [];
    app.task(
      { name: 'report', start: never, inject: [Arg('user'), Arg('format', 'pdf')] },
      (user: string, format: string) => {
        seen.push([user, format]);
        return `${user}.${format}`;
      },
    );
    const page = await open();
    await page.waitForSelector('[data-task="report"]', WAIT);
    await click(page, '[data-task="report"]');
    await page.waitForSelector('#detail [data-action="run-now"]', WAIT);
    await click(page, '#detail [data-action="run-now"]');
    await page.waitForSelector('#run-dialog[open]', WAIT);
    await retype(page, '#run-params', '{"user": ');
    expect(await js(page, `${$('#run-ok')}.disabled`)).toBe(true);
    expect(await text(page, '#run-problem')).toMatch(/JSON/);
    await retype(page, '#run-params', '["ada"]');
    expect(await text(page, '#run-problem')).toMatch(/must be a JSON object/);
    await retype(page, '#run-params', '{"user": "ada", "format": "csv"}');
    expect(await js(page, `${$('#run-ok')}.disabled`)).toBe(false);
    const succeeded = next('taskSucceeded', 'report');
    await click(page, '#run-ok');
    expect(await succeeded).toMatchObject({ returnValue: 'ada.csv' });
    expect(seen).toEqual([['ada', 'csv']]);
    // The run appears among the task's runs, live.
    await page.waitForSelector('#detail .runs li.outcome-success', WAIT);
    expect(problems).toEqual([]);
  });

  it('terminates a long run after confirmation', async () => {
    app = new App();
    app.task(
      { name: 'slow', start: never, inject: [Signal()] },
      (signal: AbortSignal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', resolve);
        }),
    );
    const page = await open();
    await page.waitForSelector('[data-task="slow"]', WAIT);
    await click(page, '[data-task="slow"]');
    const started = next('taskStarted', 'slow');
    app.session.get('slow').run();
    await started;
    await page.waitForSelector('[data-task="slow"] .status-running', WAIT);
    await page.waitForSelector('#detail [data-action="terminate"]:not([disabled])', WAIT);
    await click(page, '#detail [data-action="terminate"]');
    await page.waitForSelector('#confirm-dialog[open]', WAIT);
    expect(await text(page, '#confirm-message')).toContain('Terminate the running runs of "slow"');
    const terminated = next('taskTerminated', 'slow');
    await click(page, '#confirm-ok');
    await terminated;
    expect(app.session.get('slow').isRunning).toBe(false);
    await page.waitForSelector('[data-task="slow"] .status-terminate', WAIT);
    expect(problems).toEqual([]);
  });

  it('asks for the token when the server requires one, keeps it out of every URL, and refuses a wrong one', async () => {
    app = new App();
    app.task({ name: 'guarded', start: never }, () => undefined);
    const token = 'correct-horse-battery-staple';
    const urls: string[] = [];
    const page = await open(token);
    page.on('request', (request) => urls.push(request.url()));
    await page.waitForSelector('#token-dialog[open]', WAIT);
    expect(await rowCount(page)).toBe(0);
    await page.type('#token-input', 'wrong');
    await click(page, '#token-submit');
    await until(page, "document.getElementById('token-message').textContent.includes('refused')");
    await page.waitForSelector('#token-dialog[open]', WAIT);
    expect(await rowCount(page)).toBe(0);
    await retype(page, '#token-input', token);
    await click(page, '#token-submit');
    await page.waitForSelector('[data-task="guarded"]', WAIT);
    await page.waitForSelector('#connection[data-state="live"]', WAIT);
    expect(await js(page, "sessionStorage.getItem('apogee.token')")).toBe(token);
    expect(urls.filter((u) => u.includes(token) || u.includes('wrong'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('keeps the DOM bounded and the timeline aggregated with 1,000 tasks and 100,000 records', async () => {
    const log = new MemoryRunLog({ perTask: 5000 });
    app = new App({ log });
    const names = Array.from({ length: 1000 }, (_, i) => `task-${String(i).padStart(4, '0')}`);
    for (const name of names) app.task({ name, start: never }, () => undefined);
    // The first 20 tasks ran every 80 s for most of a day (1,030 runs each), the other 980 thirty
    // times each: 50,000 runs, 100,000 records.
    const now = Date.now();
    const runs = (name: string, count: number, every: number): void => {
      for (let k = 0; k < count; k++) {
        const start = new Date(now - 86_000_000 + k * every);
        const end = new Date(start.getTime() + 1000);
        log.append({ taskName: name, action: 'run', created: start, runId: `${name}-${String(k)}`, start });
        const action = k % 7 === 0 ? 'fail' : 'success';
        log.append({
          taskName: name,
          action,
          created: end,
          runId: `${name}-${String(k)}`,
          start,
          end,
          runtime: 1000,
        });
      }
    };
    for (const [i, name] of names.entries()) runs(name, i < 20 ? 1030 : 30, i < 20 ? 80_000 : 2_800_000);
    expect((await log.records()).length).toBe(100_000);
    const page = await open();
    await page.waitForSelector('[data-task="task-0000"]', WAIT);
    expect(await text(page, '#counts')).toBe('1000 of 1000 tasks');
    const drawn = await rowCount(page);
    expect(drawn).toBeLessThan(40);
    // The lanes shown hold 1,030 runs each: they arrive as cells, at most one per bucket.
    await until(page, "Number(document.getElementById('timeline').dataset.aggregated) > 0");
    const timeline = await js<Record<string, string>>(
      page,
      "({ ...document.getElementById('timeline').dataset })",
    );
    expect(Number(timeline.cells)).toBeGreaterThan(0);
    expect(Number(timeline.cells)).toBeLessThanOrEqual(Number(timeline.lanes) * Number(timeline.buckets));
    expect(Number(timeline.buckets)).toBeLessThan(1030);
    expect(Number(timeline.bars)).toBe(0);
    // The strip shows the last 20 outcomes.
    await until(page, `document.querySelectorAll('[data-task="task-0000"] .strip i').length === 20`);
    // Scrolled to the end, the last task is drawn and the DOM stays as small.
    await js(page, `${$('#table-body')}.scrollTo(0, 1e9)`);
    await page.waitForSelector('[data-task="task-0999"]', WAIT);
    expect(await rowCount(page)).toBeLessThan(40);
    await until(page, "document.getElementById('timeline').dataset.aggregated === '0'");
    // Filtering by name.
    await page.type('#search', 'task-0042');
    await until(page, "document.querySelectorAll('#table-rows .row').length === 1");
    expect(await js(page, `${$('#table-rows .row')}.dataset.task`)).toBe('task-0042');
    expect(problems).toEqual([]);
  });
});
