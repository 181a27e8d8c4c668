import { App, never, RunLogger, type RunLoggerFn, type SchedulerEvent } from '@apogee/core';
import type { Page } from '@apogee/test-utils';
import {
  click,
  dashboardInChromium,
  js,
  nextEvent,
  until,
  WAIT,
  type OpenDashboard,
} from './fixtures/dashboardPage';

/**
 * A run's own output (`@RunLogger()`) in the dashboard's run detail, in Chromium: the lines of a
 * finished run, and the lines of a live run appearing as it writes them. Nothing is timed.
 */
const chromium = dashboardInChromium();
let opened: OpenDashboard | undefined;

/** Level, message and fields of each output line the run detail shows. */
const shownLines = (page: Page): Promise<string[]> =>
  js(
    page,
    `[...document.querySelectorAll('#detail .run-detail .output-lines li')].map((li) =>
      [...li.querySelectorAll('.level, .message, .fields')].map((n) => n.textContent).join(' '))`,
  );

const runIdOf = async (event: Promise<SchedulerEvent>): Promise<string> => {
  const e = await event;
  if (!('runId' in e)) throw new Error(`${e.type} has no run id`);
  return e.runId;
};

describe("a run's output in the dashboard, in Chromium", () => {
  it("shows a finished run's output lines in its detail", async () => {
    const app = new App();
    app.task({ name: 'report', start: never, inject: [RunLogger()] }, (log: RunLoggerFn) => {
      log.info('fetching', { rows: 3 });
      log.warn('slow source');
    });
    opened = await chromium.open(app);
    const { page } = opened;
    const succeeded = runIdOf(nextEvent(app, 'taskSucceeded', 'report'));
    app.session.get('report').run();
    const runId = await succeeded;
    await click(page, '[data-task="report"]');
    await click(page, `#detail li.run[data-run="${runId}"]`);
    await page.waitForSelector(`#detail .run-detail[data-run="${runId}"] .output-lines li`, WAIT);
    expect(await shownLines(page)).toEqual(['info fetching {"rows":3}', 'warn slow source']);
    expect(opened.problems).toEqual([]);
  });

  it("shows a live run's new lines as it writes them", async () => {
    const app = new App();
    const gates: (() => void)[] = [];
    app.task({ name: 'long', start: never, inject: [RunLogger()] }, async (log: RunLoggerFn) => {
      log.info('step 1');
      await new Promise<void>((open) => gates.push(open));
      log.info('step 2', { batch: 2 });
      await new Promise<void>((open) => gates.push(open));
    });
    opened = await chromium.open(app);
    const { page } = opened;
    await click(page, '[data-task="long"]');
    const wrote = runIdOf(nextEvent(app, 'taskOutput', 'long'));
    app.session.get('long').run();
    const runId = await wrote;
    await click(page, `#detail li.live-run[data-run="${runId}"] a`);
    await page.waitForSelector(`#detail .run-detail[data-run="${runId}"] .output-lines li`, WAIT);
    expect(await shownLines(page)).toEqual(['info step 1']);
    gates.shift()?.();
    await until(page, "document.querySelectorAll('#detail .run-detail .output-lines li').length === 2");
    // The run still waits at its second gate: the line came live, not from a reload after it ended.
    expect(app.session.liveRuns('long')).toHaveLength(1);
    expect(await shownLines(page)).toEqual(['info step 1', 'info step 2 {"batch":2}']);
    const ended = nextEvent(app, 'taskSucceeded', 'long');
    gates.shift()?.();
    await ended;
    expect(opened.problems).toEqual([]);
  });
});
