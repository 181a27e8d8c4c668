import { writeMethodRole } from '../metadata/ClassMetadata';
import type { Duration } from '../time/Duration';

/**
 * Marks a method as a custom condition named `name`, usable as `cond(name, ...args)` or by name
 * in condition strings. Leading undecorated parameters receive the bound arguments; the rest
 * must carry parameter decorators. Checked every `poll` (default 1 second); a check that takes
 * longer than `timeout` (default `config.conditionTimeout`, 10 seconds) counts as false.
 *
 * @example
 * ```ts
 * class Checks {
 *   @Cond('file exists')
 *   exists(path: string) { return fs.existsSync(path); }
 * }
 * ```
 */
export function Cond(name: string, options: { poll?: Duration; timeout?: Duration } = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    writeMethodRole(target, propertyKey, descriptor, {
      kind: 'cond',
      name,
      ...(options.poll === undefined ? {} : { poll: options.poll }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    });
  };
}
