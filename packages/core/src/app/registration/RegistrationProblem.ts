import type { ApogeeError } from '../../errors/ApogeeError';

/**
 * One thing wrong with what is being registered. Registration collects these instead of
 * throwing, so that one error can list them all (see `registrationError`).
 * - `usage`: a misused decorator or option, described in one line;
 * - `duplicate`: a task name taken twice (`"sync": declared by A.one and by B.two`);
 * - `error`: a problem that is an error of its own: a condition that does not parse
 *   (`ConditionSyntaxError`), an invalid duration (`ConfigurationError`), an unknown task or
 *   custom condition (`UnknownTaskError`, `UnknownConditionError`).
 */
export type RegistrationProblem =
  | { readonly kind: 'usage'; readonly message: string }
  | { readonly kind: 'duplicate'; readonly message: string }
  | { readonly kind: 'error'; readonly error: ApogeeError };
