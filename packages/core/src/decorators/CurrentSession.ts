import type { InjectionDecorator } from '../params/Injection';
import { SessionRefArg } from '../params/SessionRefArg';
import { injectionDecorator } from './injectionDecorator';

/**
 * The `Session` of the app.
 *
 * @example
 * ```ts
 * class Jobs {
 *   @Task('every 1 minute')
 *   count(@CurrentSession() session: Session) { return session.tasks.length; }
 * }
 * ```
 */
export function CurrentSession(): InjectionDecorator {
  return injectionDecorator({
    kind: 'argument',
    argument: new SessionRefArg(),
    decorator: '@CurrentSession()',
  });
}
