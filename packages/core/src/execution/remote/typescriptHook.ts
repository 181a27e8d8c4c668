import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { compileTypeScript, typescriptSpecifier } from './compileTypeScript';

type Compile = (module: Module & { _compile(code: string, file: string): void }, file: string) => void;
type ResolveFilename = (request: string, parent: unknown, ...rest: unknown[]) => string;

/**
 * Extensions the hook compiles. `.mts` and `.ts` in a `"type": "module"` package are ES module
 * syntax; `require()` gets them as CommonJS (as tsx's require hook does), which is how workers
 * load an ES module project's task files.
 */
const EXTENSIONS = ['.ts', '.cts', '.mts', '.tsx'];

// Read by errors/typescriptLoaderName.ts to name the loader in a missing-metadata error.
const REGISTERED = Symbol.for('@apogee/core/typescriptHook');

/**
 * `./jobs.js` from a TypeScript file means `./jobs.ts` when no `jobs.js` exists (the `nodenext`
 * way of writing imports): retried with the TypeScript extension.
 */
function patchResolution(): void {
  const moduleStatics = Module as unknown as { _resolveFilename: ResolveFilename };
  const resolveFilename = moduleStatics._resolveFilename;
  moduleStatics._resolveFilename = function (request, parent, ...rest) {
    try {
      return resolveFilename.call(this, request, parent, ...rest);
    } catch (error) {
      const typescript = typescriptSpecifier(request);
      const parentFile = (parent as { filename?: unknown } | null)?.filename;
      if (typescript === undefined || typeof parentFile !== 'string' || !/\.[cm]?tsx?$/.test(parentFile))
        throw error;
      return resolveFilename.call(this, typescript, parent, ...rest);
    }
  };
}

/**
 * Registers a `require` hook that compiles `.ts`, `.cts`, `.mts` and `.tsx` files with SWC as
 * CommonJS, with decorator metadata, one file at a time (see compileTypeScript). It exists so
 * that constructor injection works in `apogee run app.ts` and in thread and process workers
 * alike, whatever TypeScript version the project has. Idempotent.
 */
export function registerTypeScriptHook(): void {
  const registry = globalThis as { [REGISTERED]?: true };
  if (registry[REGISTERED]) return;
  registry[REGISTERED] = true;
  const compile: Compile = (module, file) => {
    module._compile(compileTypeScript(readFileSync(file, 'utf8'), file, 'commonjs'), file);
  };
  const extensions = (Module as unknown as { _extensions: Record<string, Compile> })._extensions;
  for (const extension of EXTENSIONS) extensions[extension] = compile;
  patchResolution();
}
