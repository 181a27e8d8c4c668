import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a task's module, given as a path (absolute, or relative to the working
 * directory) or a `file:` URL (`import.meta.url`). A reason when no such file exists.
 */
export function resolveModule(module: string): string | { readonly problem: string } {
  const path = module.startsWith('file:')
    ? fileURLToPath(module)
    : isAbsolute(module)
      ? module
      : resolve(module);
  if (existsSync(path)) return path;
  try {
    // Extensionless or directory paths, as require() would find them.
    return require.resolve(path);
  } catch {
    return {
      problem:
        `its module ${JSON.stringify(module)} was looked for at ${path} and not found. ` +
        `Give an absolute path (__filename) or a file URL (import.meta.url).`,
    };
  }
}
