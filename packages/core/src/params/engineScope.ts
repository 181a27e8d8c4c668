import { ApogeeError } from '../errors/ApogeeError';
import type { ArgumentScope } from './ArgumentScope';
import { ResolutionScope } from './ResolutionScope';

/**
 * The engine's own arguments read more of a scope than {@link ArgumentScope} shows users (the
 * session, the levels, the container): they are only ever computed in a `ResolutionScope`.
 */
export function engineScope(scope: ArgumentScope): ResolutionScope {
  if (scope instanceof ResolutionScope) return scope;
  throw new ApogeeError(
    'ARGUMENT_SCOPE',
    "Apogee's built-in arguments are computed by the scheduler, in the scope of a run; call scope.resolve(argument) from your own Argument instead of calling their compute() directly.",
  );
}
