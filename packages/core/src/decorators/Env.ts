import { EnvArg } from '../params/EnvArg';
import type { InjectionDecorator } from '../params/Injection';
import type { DefaultOption } from '../params/defaults';
import { injectionDecorator } from './injectionDecorator';

/**
 * An environment variable, read when the run starts.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('daily')
 *   backup(@Env('BACKUP_DIR', { default: '/tmp' }) dir: string) { return dir; }
 * }
 * ```
 */
export function Env(name: string, options?: DefaultOption): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new EnvArg(name, options),
    decorator: `@Env('${name}')`,
  });
}
