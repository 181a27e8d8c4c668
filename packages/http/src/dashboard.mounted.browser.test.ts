import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, every } from '@apogee/core';
import { launchChromium, type Browser } from '@apogee/test-utils';
import { nextEvent, text, until, WAIT } from './fixtures/dashboardPage';
import { createControlHandler, type ControlHandler } from './index';

/**
 * The dashboard mounted under /apogee in a server of the test's own, in the system's Chromium:
 * the page loads its files and reads the API and the event stream under the prefix.
 */
jest.setTimeout(180_000);

let browser: Browser;
let server: Server;
let handler: ControlHandler;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

it('works under a mount path: tasks listed, a failure shown, the event stream live', async () => {
  const app = new App();
  app.task({ name: 'fine', start: every('1 hour') }, () => 'ok');
  app.task({ name: 'broken', start: every('1 hour') }, () => {
    throw new Error('the database is down');
  });
  handler = createControlHandler(app, { path: '/apogee' });
  server = createServer((req, res) => {
    handler(req, res, () => {
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const failed = nextEvent(app, 'taskFailed', 'broken');
  const done = app.run({ handleSignals: false });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  try {
    await failed;
    await page.goto(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}/apogee/`, {
      waitUntil: 'domcontentloaded',
      ...WAIT,
    });
    await page.waitForSelector('[data-task="broken"] .status-fail', WAIT);
    expect(await text(page, '[data-task="fine"] .condition')).toBe('every 1 hour');
    await until(page, "document.getElementById('connection').dataset.state === 'live'");
    expect(problems).toEqual([]);
  } finally {
    await page.close();
    await handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await app.shutdown();
    await done;
  }
});
