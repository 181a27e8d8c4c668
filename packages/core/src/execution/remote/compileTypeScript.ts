import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The part of `@swc/core` Apogee's TypeScript loaders use. */
interface Swc {
  transformSync(source: string, options: Record<string, unknown>): { code: string };
}

/** What a compiled file is for: `require()` (CommonJS) or `import` (an ES module). */
export type ModuleFormat = 'commonjs' | 'module';

let swc: Swc | undefined;

// TypeScript sources import their siblings by the name of the JavaScript they compile to.
const JS_TO_TS: Readonly<Record<string, string>> = {
  '.js': '.ts',
  '.cjs': '.cts',
  '.mjs': '.mts',
  '.jsx': '.tsx',
};
const RELATIVE_JS = /^\.{1,2}\/.*(\.[cm]?jsx?)$/;

/**
 * For a relative import of `./jobs.js` (how `nodenext` TypeScript names `jobs.ts`), the
 * TypeScript file it means, `./jobs.ts`; undefined for any other specifier. Loaders try it when
 * the JavaScript file does not exist.
 */
export function typescriptSpecifier(specifier: string): string | undefined {
  const extension = RELATIVE_JS.exec(specifier)?.[1];
  if (extension === undefined) return undefined;
  return specifier.slice(0, -extension.length) + (JS_TO_TS[extension] ?? '.ts');
}

/**
 * Finds `@swc/core` the way the user's project would (its own copy first), then beside an
 * installed `@apogee/cli` (which depends on it, and which a pnpm project does not hoist), then
 * from `@apogee/core` itself.
 */
function loadSwc(): Swc {
  const project = join(process.cwd(), 'package.json');
  const bases = [project, __filename];
  try {
    bases.splice(1, 0, createRequire(project).resolve('@apogee/cli/package.json'));
  } catch {
    // No @apogee/cli in this project: the other places remain.
  }
  for (const base of bases) {
    try {
      return createRequire(base)('@swc/core') as Swc;
    } catch {
      // Try the next place.
    }
  }
  throw new Error(
    'Loading a TypeScript file needs "@swc/core" (installed with @apogee/cli), and neither the ' +
      `project in ${process.cwd()} nor @apogee/cli nor @apogee/core can resolve it. Fix: npm install ` +
      '--save-dev @apogee/cli (or @swc/core), or compile to JavaScript and run that.',
  );
}

/** Whether `@swc/core` can be loaded from here (see {@link loadSwc}). */
export function canCompileTypeScript(): boolean {
  try {
    swc ??= loadSwc();
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles one TypeScript file with SWC, the way `tsc` would with `experimentalDecorators` and
 * `emitDecoratorMetadata`: SWC writes `design:paramtypes`, so tsyringe and Nest see constructor
 * parameters (tsx and esbuild write none). SWC does not depend on the project's `typescript`,
 * so this works the same with TypeScript 5, 6 and 7 (which has no JavaScript compiler API).
 * Class names are kept: workers find a task's class by name. No type-checking: that is `tsc`'s
 * job; start-up stays short (the README's TypeScript setup has the measured numbers).
 */
export function compileTypeScript(source: string, file: string, format: ModuleFormat): string {
  swc ??= loadSwc();
  return swc.transformSync(source, {
    filename: file,
    swcrc: false,
    configFile: false,
    sourceMaps: 'inline',
    inlineSourcesContent: true,
    module: { type: format === 'module' ? 'es6' : 'commonjs' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true, tsx: file.endsWith('.tsx') },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    },
  }).code;
}
