/**
 * Node module customization hooks (`module.register`) for `apogee run` on TypeScript that Node
 * treats as an ES module (`.mts`, or `.ts` under `"type": "module"`): compiled by SWC with
 * decorator metadata, as the CommonJS `require` hook does for the rest. This file runs on Node's
 * loader thread.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compileTypeScript, isModuleTypeScript, typescriptSpecifier } from '@apogee/core/internal';

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface Loaded {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: unknown) => Promise<Resolved>;
type NextLoad = (url: string, context?: unknown) => Promise<Loaded>;

const TYPESCRIPT_URL = /^file:.*\.[cm]?tsx?$/;

/**
 * `import './jobs.js'` in a TypeScript file means `./jobs.ts` when no `jobs.js` exists (how
 * `nodenext` projects write imports): retried with the TypeScript extension.
 */
export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: NextResolve,
): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const typescript = typescriptSpecifier(specifier);
    if (
      typescript === undefined ||
      context.parentURL === undefined ||
      !TYPESCRIPT_URL.test(context.parentURL)
    )
      throw error;
    return next(typescript, context);
  }
}

/**
 * ES module TypeScript is compiled here; CommonJS TypeScript (`.cts`, `.ts` outside a
 * `"type": "module"` package) is handed to Node's CommonJS loader, where Apogee's `require`
 * hook compiles it.
 */
export async function load(url: string, context: unknown, next: NextLoad): Promise<Loaded> {
  if (!TYPESCRIPT_URL.test(url)) return next(url, context);
  const file = fileURLToPath(url);
  if (!isModuleTypeScript(file)) return { format: 'commonjs', shortCircuit: true };
  const source = compileTypeScript(await readFile(file, 'utf8'), file, 'module');
  return { format: 'module', source, shortCircuit: true };
}
