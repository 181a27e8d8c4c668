import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Modules loaded (or loading) by absolute path: each is loaded once per process. */
const modules = new Map<string, Promise<Record<string, unknown>>>();

// TypeScript compiles import() to require() in CommonJS output; ES modules need the real one.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<Record<string, unknown>>;

/**
 * Whether `require()` refused a module that `import()` can load: an ES module (Node 20), or,
 * where Node can require ES modules, one whose graph uses top-level await.
 */
const needsImport = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE';
};

/**
 * The exports of the module at `file` (an absolute path): `require()` first, `import()` for an ES
 * module. Used for task modules in workers and for an instrumentation's `workerModule`.
 */
export function loadModule(file: string): Promise<Record<string, unknown>> {
  let loaded = modules.get(file);
  if (loaded === undefined) {
    loaded = (async () => {
      try {
        return createRequire(file)(file) as Record<string, unknown>;
      } catch (error) {
        if (!needsImport(error)) throw error;
        return importEsm(pathToFileURL(file).href);
      }
    })();
    modules.set(file, loaded);
    // A module that failed to load is tried again by the next run, not remembered as broken.
    loaded.catch(() => modules.delete(file));
  }
  return loaded;
}
