import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { HttpProblem } from './HttpProblem';

/** The page's own files: plain ES modules and CSS, shipped in the package as they are. */
const PAGE_DIR = join(__dirname, '..', 'dashboard');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The page loads nothing but its own files and talks to nothing but this server; no inline script,
 * no frames (a page framing the dashboard could trick a click on "terminate").
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Files by URL path, listed once; the chart library is served from its installed package. A copy
 * of the package without the page (a bundler that dropped it) serves the API alone: `/` stays the
 * endpoint list and `/dashboard/` is a 404, rather than every request failing.
 */
function assetPaths(): Map<string, string> {
  const paths = new Map<string, string>();
  try {
    for (const file of readdirSync(PAGE_DIR)) {
      if (TYPES[extname(file)] !== undefined) paths.set(`/dashboard/${file}`, join(PAGE_DIR, file));
    }
    paths.set('/dashboard/vendor/uPlot.esm.js', require.resolve('uplot/dist/uPlot.esm.js'));
    paths.set('/dashboard/vendor/uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css'));
  } catch {
    paths.clear();
  }
  return paths;
}

/** Whether the client asked for a web page: a browser's navigation sends `Accept: text/html`. */
function wantsHtml(req: IncomingMessage): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(req.headers.accept ?? '');
}

/**
 * Serves the dashboard's page and files, which carry no data and so need no token: every figure
 * the page shows it asks the API for, with the token the user entered. `GET /` is the page for a
 * browser (`Accept: text/html`) and the endpoint list for anyone else; `/dashboard/` is the page.
 */
export class DashboardAssets {
  private paths: Map<string, string> | undefined;
  private readonly cache = new Map<string, Buffer>();

  /** Answers `req` and returns true when it asks for the page or one of its files. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const page =
      (pathname === '/' && wantsHtml(req)) || pathname === '/dashboard' || pathname === '/dashboard/';
    this.paths ??= assetPaths();
    const file = page ? this.paths.get('/dashboard/index.html') : this.paths.get(pathname);
    if (file === undefined) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      if (pathname === '/') return false;
      throw new HttpProblem(
        405,
        `${method} is not allowed on ${pathname}; use GET.`,
        { allow: ['GET', 'HEAD'] },
        { allow: 'GET, HEAD' },
      );
    }
    let body = this.cache.get(file);
    if (body === undefined) {
      body = readFileSync(file);
      this.cache.set(file, body);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      ...(pathname === '/' ? { vary: 'Accept' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  }
}
