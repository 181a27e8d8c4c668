import { ApogeeError } from './ApogeeError';

/**
 * Resolving a parameter needed that same parameter again (`a -> b -> a`): a `SessionArg` loop
 * or mutually dependent `@Param` providers. Detected before any stack overflow.
 */
export class ParameterCycleError extends ApogeeError {
  constructor(chain: readonly string[], taskName?: string) {
    const first = chain[0] ?? '?';
    super(
      'PARAMETER_CYCLE',
      `Parameter cycle: ${chain.join(' -> ')}${taskName === undefined ? '' : ` (while resolving task "${taskName}")`}.\n` +
        `Each parameter in this chain needs the next one to be computed first, so none can be.\n` +
        `Fix: give one of them ("${first}") a value that does not depend on the others.`,
      { key: first, chain, ...(taskName === undefined ? {} : { taskName }) },
    );
  }
}
