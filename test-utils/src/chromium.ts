import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Where the system's Chromium may be: Debian's package, Ubuntu's, or the path in `CHROMIUM_PATH`. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** The Chromium executable the browser tests drive; nothing is ever downloaded. */
export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find(
    (p) => p !== undefined && p !== '' && existsSync(p),
  );
  if (found === undefined) {
    throw new Error(
      `No Chromium found (looked at $CHROMIUM_PATH and ${CANDIDATES.join(', ')}). Install it with scripts/system-deps.sh (apt-get install chromium), or point CHROMIUM_PATH at one.`,
    );
  }
  return found;
}

/**
 * Starts the system's Chromium, headless, through puppeteer-core. As root Chromium refuses to start
 * with its sandbox, so it runs without one; the pages it opens are the tests' own, on loopback.
 */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--no-first-run',
      '--no-default-browser-check',
    ],
    // A loaded machine starts a browser slowly; the default 30 s is not always enough.
    timeout: 120_000,
    protocolTimeout: 240_000,
  });
}
