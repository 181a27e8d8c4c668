import { ApogeeError } from '../errors/ApogeeError';
import type { ArgumentScope } from './ArgumentScope';
import { ResolutionScope } from './ResolutionScope';

/**
 * The engine's own arguments read more of a scope than {@link ArgumentScope} shows users (the
 * session, the levels, the container): they are only ever computed in a `ResolutionScope`.
 */
export function engineScope(scope: ArgumentScope, argument: { readonly label: string }): ResolutionScope {
  if (scope instanceof ResolutionScope) return scope;
  throw new ApogeeError(
    'ARGUMENT_SCOPE',
    `Argument ${argument.label} was computed outside a run: Apogee's built-in arguments read the run's levels and session, which only the scheduler's scope has.\n` +
      `Fix: from your own Argument, call scope.resolve(${argument.label}) instead of its compute().`,
  );
}
