import { createRequire, register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isModuleTypeScript, registerTypeScriptHook } from '@apogee/core/internal';

// TypeScript compiles import() to require() in CommonJS output; ES modules need the real one.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importModule = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<Record<string, unknown>>;

let hooksRegistered = false;

/**
 * Loads the app file `path` (absolute). TypeScript is compiled by SWC with decorator metadata,
 * whatever TypeScript version the project has: CommonJS TypeScript through core's `require`
 * hook, TypeScript that Node treats as an ES module (`.mts`, `"type": "module"`) through the
 * module hooks in typescriptModuleHooks.ts. JavaScript is required, and imported when it is an
 * ES module that require() refuses (top-level await).
 */
export async function importApp(path: string): Promise<Record<string, unknown>> {
  const typescript = /\.[cm]?tsx?$/.test(path);
  if (typescript) registerTypeScriptHook();
  if (typescript && isModuleTypeScript(path)) {
    if (!hooksRegistered) register(pathToFileURL(join(__dirname, 'typescriptModuleHooks.js')));
    hooksRegistered = true;
    return importModule(pathToFileURL(path).href);
  }
  try {
    return createRequire(__filename)(path) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return importModule(pathToFileURL(path).href);
  }
}
