import { extname } from 'node:path';

const TYPESCRIPT = /\.[cm]?tsx?$/;
// Loaders a child inherits through execArgv or NODE_OPTIONS.
const INHERITED_LOADER = /tsx|ts-node|@swc-node|esbuild-register|@esbuild-kit|strip-types|transform-types/;

/** True for a file Node cannot load without a TypeScript loader. */
export const isTypeScript = (file: string): boolean => TYPESCRIPT.test(extname(file));

/** Whether workers started from this process inherit a TypeScript loader (`tsx script.ts`, `node --import tsx`, ...). */
function inheritsLoader(): boolean {
  if ((process.features as { typescript?: unknown }).typescript) return true;
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return INHERITED_LOADER.test(flags);
}

/**
 * The `--require` hook of tsx, when it is installed. Used when TypeScript must load in a worker
 * but this process got its TypeScript some other way (ts-jest, or a register call) that
 * workers do not inherit.
 */
function tsxHook(): string | undefined {
  try {
    return require.resolve('tsx/cjs', { paths: [process.cwd(), __dirname] });
  } catch {
    return undefined;
  }
}

/**
 * Node options for a worker that will load `files`. Workers inherit this process's options,
 * so a scheduler started with `tsx` or `node --import tsx` gives its workers the same loader;
 * TypeScript files loaded without one get tsx's hook added, when tsx is installed.
 * Returns a reason instead when TypeScript cannot be loaded at all.
 */
export function workerExecArgv(files: readonly string[]): { execArgv: string[] } | { problem: string } {
  const execArgv = [...process.execArgv];
  const typescript = files.filter(isTypeScript);
  if (typescript.length === 0 || inheritsLoader()) return { execArgv };
  const hook = tsxHook();
  if (hook === undefined)
    return {
      problem:
        `${typescript.join(', ')} is TypeScript, and this process has no TypeScript loader that a worker ` +
        `inherits. Start it with tsx (\`tsx main.ts\` or \`node --import tsx main.ts\`), install tsx, or ` +
        `compile to JavaScript and run that.`,
    };
  return { execArgv: [...execArgv, '--require', hook] };
}
