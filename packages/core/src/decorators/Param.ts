import { writeMethodRole } from '../metadata/ClassMetadata';
import type { ProviderCache } from '../params/ProviderArg';

/**
 * Marks a method as the session-level provider of parameter `name`. It runs lazily, at most
 * once per run (`cache: 'run'`, the default) or once per session (`cache: 'session'`), and its
 * own parameters are injected like a task's.
 *
 * @example
 * ```ts
 * class Params {
 *   @Param('db_url')
 *   dbUrl(@Env('DB_HOST', { default: 'localhost' }) host: string) { return `postgres://${host}/app`; }
 * }
 * ```
 */
export function Param(name: string, options: { cache?: ProviderCache } = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    writeMethodRole(target, propertyKey, descriptor, {
      kind: 'param',
      name,
      ...(options.cache === undefined ? {} : { cache: options.cache }),
    });
  };
}
