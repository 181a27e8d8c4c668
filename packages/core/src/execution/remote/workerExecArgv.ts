import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canCompileTypeScript } from './compileTypeScript';

const TYPESCRIPT = /\.[cm]?tsx?$/;
// Loaders a child inherits through execArgv or NODE_OPTIONS.
const INHERITED_LOADER = /tsx|ts-node|@swc-node|esbuild-register|@esbuild-kit|strip-types|transform-types/;
const TSX_DIST = /[\\/]tsx[\\/]dist[\\/][^\\/]+$/;

/** True for a file Node cannot load without a TypeScript loader. */
export const isTypeScript = (file: string): boolean => TYPESCRIPT.test(extname(file));

/** Where the compiled metadata-emitting hook is; absent when this file runs from source (ts-jest). */
const OWN_HOOK = join(__dirname, 'registerTypeScript.js');

/**
 * Whether Node treats `file` as an ES module: `.mts`, or `.ts` under a package.json with
 * `"type": "module"`. Such a file cannot go through a CommonJS `require` hook.
 */
export function isModuleTypeScript(file: string): boolean {
  const extension = extname(file);
  if (extension === '.mts') return true;
  if (extension !== '.ts' && extension !== '.tsx') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/** Whether workers started from this process inherit a TypeScript loader (`tsx script.ts`, `node --import tsx`, ...). */
function inheritsLoader(): boolean {
  if ((process.features as { typescript?: unknown }).typescript) return true;
  return INHERITED_LOADER.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
}

// Looked up once: every thread or process task asks at registration.
let cachedHook: { readonly path: string | undefined } | undefined;

/**
 * tsx's `require` hook: from the tsx this process was started with (its files are in
 * execArgv), else from an installed tsx.
 */
function tsxRequireHook(): string | undefined {
  if (cachedHook === undefined) cachedHook = { path: findTsxRequireHook() };
  return cachedHook.path;
}
function findTsxRequireHook(): string | undefined {
  for (const arg of process.execArgv) {
    const path = arg.startsWith('file:') ? fileURLToPath(arg) : arg;
    if (!TSX_DIST.test(path)) continue;
    const hook = join(dirname(path), 'cjs', 'index.cjs');
    if (existsSync(hook)) return hook;
  }
  try {
    return require.resolve('tsx/cjs', { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

/**
 * Node options for a worker that will load `files`. Workers inherit this process's options.
 * When any file is TypeScript, a `require` hook is added: workers load task modules with
 * `require()`, and Node 20 runs a loader's ES module hooks in the main thread only, so even a
 * scheduler started with `tsx` needs the hook for its threads. It is also what makes
 * TypeScript load at all when this process got its TypeScript in a way children do not
 * inherit (ts-jest, a register call). The hook is Apogee's own (SWC, with decorator metadata,
 * so constructor injection works in workers as in `apogee run`; ES module TypeScript is
 * compiled to CommonJS for `require()`) wherever `@swc/core` can be found; else tsx's, which
 * emits no metadata, and when Apogee runs from its sources. Returns a reason instead when there
 * is no way.
 */
export function workerExecArgv(files: readonly string[]): { execArgv: string[] } | { problem: string } {
  const execArgv = [...process.execArgv];
  const typescript = files.filter(isTypeScript);
  if (typescript.length === 0) return { execArgv };
  const own = existsSync(OWN_HOOK) && canCompileTypeScript();
  const hook = own ? OWN_HOOK : tsxRequireHook();
  if (hook !== undefined)
    return { execArgv: execArgv.includes(hook) ? execArgv : [...execArgv, '--require', hook] };
  if (inheritsLoader()) return { execArgv };
  return {
    problem:
      `${typescript.join(', ')} is TypeScript, and a worker started from this process would have no ` +
      `TypeScript loader. Run it with \`apogee run\`, install @swc/core (constructor injection works) ` +
      `or tsx (no decorator metadata), or compile to JavaScript and run that.`,
  };
}
