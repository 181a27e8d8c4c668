import { fileURLToPath } from 'node:url';

// Decorator helpers that sit between a decorator and the module applying it.
const HELPERS =
  /[\\/]node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:tslib|reflect-metadata|@swc[\\/]helpers|@babel[\\/]runtime)[\\/]/;

/**
 * The file of the code that called `fn`, skipping decorator helpers (`tslib`'s `__decorate`,
 * reflect-metadata's `Reflect.decorate`). For a decorator this is the module that declares
 * the decorated class: the file a worker thread or child process must load to find it.
 * Call sites carry the file actually loaded (the `.js` of compiled code, the `.ts` under a
 * TypeScript loader), never a source-mapped guess.
 */
export function callerFile(fn: (...args: never[]) => unknown): string | undefined {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back as it was
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 12;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, fn);
    const sites = holder.stack as NodeJS.CallSite[] | undefined;
    for (const site of sites ?? []) {
      const file = site.getFileName();
      if (file === undefined || file === null || file.startsWith('node:') || HELPERS.test(file)) continue;
      return file.startsWith('file:') ? fileURLToPath(file) : file;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
