import { Argument } from './Argument';
import type { ResolutionScope } from './ResolutionScope';

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
  compute(scope: ResolutionScope): unknown {
    return scope.host.sessionRef;
  }
}
