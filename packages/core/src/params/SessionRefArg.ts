import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/**
 * The session itself (what `@CurrentSession()` injects).
 *
 * @example
 * ```ts
 * app.params({ session: new SessionRefArg() });
 * ```
 */
export class SessionRefArg extends Argument {
  get label(): string {
    return 'CurrentSession';
  }
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    return scope.host.sessionRef;
  }
}
