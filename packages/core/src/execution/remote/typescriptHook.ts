import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The part of the `typescript` package the hook uses. */
interface TypeScriptApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
  findConfigFile(dir: string, exists: (file: string) => boolean): string | undefined;
  readConfigFile(file: string, read: (file: string) => string | undefined): { config?: unknown };
  parseJsonConfigFileContent(json: unknown, host: unknown, dir: string): { options: Record<string, unknown> };
  sys: { fileExists(file: string): boolean; readFile(file: string): string | undefined };
  ModuleKind: { CommonJS: number };
}

type Compile = (module: Module & { _compile(code: string, file: string): void }, file: string) => void;

/** Extensions whose files Node runs as CommonJS once compiled. `.mts` is ES module syntax: not ours. */
const EXTENSIONS = ['.ts', '.cts', '.tsx'];

// Read by errors/typescriptLoaderName.ts to name the loader in a missing-metadata error.
const REGISTERED = Symbol.for('@apogee/core/typescriptHook');

/**
 * Finds `typescript` the way the user's project would (from the working directory first), so
 * files compile with the compiler the project pins; Apogee's own copy is the fallback.
 */
function loadTypeScript(): TypeScriptApi {
  for (const base of [join(process.cwd(), 'package.json'), __filename]) {
    try {
      return createRequire(base)('typescript') as TypeScriptApi;
    } catch {
      // Try the next place.
    }
  }
  throw new Error(
    'Loading a TypeScript file needs the "typescript" package, and neither the project in ' +
      `${process.cwd()} nor @apogee/core can resolve it. Fix: npm install --save-dev typescript, ` +
      'or compile to JavaScript and run that.',
  );
}

/**
 * Registers a `require` hook that compiles `.ts`, `.cts` and `.tsx` files with TypeScript's
 * `transpileModule`, one file at a time, as CommonJS, with `experimentalDecorators` and
 * `emitDecoratorMetadata` on whatever the nearest tsconfig says. tsx and other esbuild-based
 * loaders emit no `design:paramtypes`, so tsyringe cannot see constructor parameters; this hook
 * exists so that constructor injection works in `apogee run app.ts` and in thread and process
 * workers alike. Transpiling without type-checking keeps start-up short (see the README's
 * "Use it in your project" for the measured numbers). Idempotent.
 */
export function registerTypeScriptHook(): void {
  const registry = globalThis as { [REGISTERED]?: true };
  if (registry[REGISTERED]) return;
  registry[REGISTERED] = true;
  let ts: TypeScriptApi | undefined;
  const optionsByConfig = new Map<string, Record<string, unknown>>();
  const optionsFor = (api: TypeScriptApi, file: string): Record<string, unknown> => {
    const config = api.findConfigFile(dirname(file), (f) => api.sys.fileExists(f)) ?? '';
    let options = optionsByConfig.get(config);
    if (options === undefined) {
      const json = config === '' ? {} : (api.readConfigFile(config, (f) => api.sys.readFile(f)).config ?? {});
      const parsed = api.parseJsonConfigFileContent(json, api.sys, dirname(config || file)).options;
      options = {
        ...parsed,
        module: api.ModuleKind.CommonJS,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: true,
        declaration: false,
        noEmit: false,
      };
      optionsByConfig.set(config, options);
    }
    return options;
  };
  const compile: Compile = (module, file) => {
    ts ??= loadTypeScript();
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: optionsFor(ts, file),
      fileName: file,
    });
    module._compile(outputText, file);
  };
  const extensions = (Module as unknown as { _extensions: Record<string, Compile> })._extensions;
  for (const extension of EXTENSIONS) extensions[extension] = compile;
}
