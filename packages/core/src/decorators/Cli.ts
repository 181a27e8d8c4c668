import { CliArg } from '../params/CliArg';
import type { InjectionDecorator } from '../params/Injection';
import type { DefaultOption } from '../params/defaults';
import { injectionDecorator } from './injectionDecorator';

/**
 * The command-line value after `flag` (`--env prod` or `--env=prod`).
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('daily')
 *   report(@Cli('--env', { default: 'dev' }) env: string) { return env; }
 * }
 * ```
 */
export function Cli(flag: string, options?: DefaultOption): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new CliArg(flag, options),
    decorator: `@Cli('${flag}')`,
  });
}
