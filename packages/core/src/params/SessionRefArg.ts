import { Argument } from './Argument';
import type { ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

const SESSION: ArgumentPlacement = Object.freeze({
  produced: 'scheduled',
  inProcessOnly:
    "the session lives in the scheduler's process and cannot be sent to a worker. " +
    "Fix: pass the values the task needs as parameters (@Arg('key')), or use execution 'async'.",
});

/**
 * The session itself (what `@CurrentSession()` injects).
 *
 * @example
 * ```ts
 * app.params({ session: new SessionRefArg() });
 * ```
 */
export class SessionRefArg extends Argument {
  /** Always `'CurrentSession'`. */
  get label(): string {
    return 'CurrentSession';
  }
  /** Resolved where the run is scheduled; it cannot be sent to a worker. */
  override get placement(): ArgumentPlacement {
    return SESSION;
  }
  /** The session. */
  compute(input: ArgumentScope): unknown {
    const scope = engineScope(input, this);
    return scope.host.sessionRef;
  }
}
