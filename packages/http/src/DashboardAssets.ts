import { constants, openSync, readdirSync, readFileSync, closeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { HttpProblem } from './HttpProblem';

/** The page's own files: plain ES modules and CSS, shipped in the package as they are. */
export const PAGE_DIR = join(__dirname, '..', 'dashboard');

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
 * Files by URL path, listed once: the folder's regular files only. A symbolic link placed in the
 * folder is not served, so nothing outside it can be reached through it. The chart library is
 * served from its installed package. A copy of the package without the page (a bundler that
 * dropped it) serves the API alone: `/` stays the endpoint list and `/dashboard/` is a 404,
 * rather than every request failing.
 */
function assetPaths(dir: string): Map<string, string> {
  const paths = new Map<string, string>();
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && TYPES[extname(entry.name)] !== undefined)
        paths.set(`/dashboard/${entry.name}`, join(dir, entry.name));
    }
    paths.set('/dashboard/vendor/uPlot.esm.js', require.resolve('uplot/dist/uPlot.esm.js'));
    paths.set('/dashboard/vendor/uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css'));
  } catch {
    paths.clear();
  }
  return paths;
}

/** A file's bytes, refusing a symbolic link put in its place after the folder was listed. */
function readRegularFile(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether the client asked for a web page: a browser's navigation sends `Accept: text/html`. */
function wantsHtml(req: IncomingMessage): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(req.headers.accept ?? '');
}

/**
 * Serves the dashboard's page and files, which carry no data and so need no token: every figure
 * the page shows it asks the API for, with the token the user entered. `GET /` is the page for a
 * browser (`Accept: text/html`) and the endpoint list for anyone else; `/dashboard/` is the page.
 * Under a mount prefix (`/apogee`), the page's links to its files are written with it; the page's
 * scripts find the API from their own address.
 */
export class DashboardAssets {
  private paths: Map<string, string> | undefined;
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly prefix = '',
    private readonly dir = PAGE_DIR,
  ) {}

  /** Answers `req` and returns true when it asks for the page or one of its files. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    const page =
      (pathname === '/' && wantsHtml(req)) || pathname === '/dashboard' || pathname === '/dashboard/';
    this.paths ??= assetPaths(this.dir);
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
    const body = this.read(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      ...(pathname === '/' ? { vary: 'Accept' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  }

  private read(file: string): Buffer {
    let body = this.cache.get(file);
    if (body === undefined) {
      body = readRegularFile(file);
      if (extname(file) === '.html' && this.prefix !== '') body = this.withPrefix(body);
      this.cache.set(file, body);
    }
    return body;
  }

  /** The page with its absolute links to `/dashboard/...` moved under the prefix. */
  private withPrefix(page: Buffer): Buffer {
    return Buffer.from(
      page.toString('utf8').replace(/(href|src)="\/dashboard\//g, `$1="${this.prefix}/dashboard/`),
    );
  }
}
