import { errorMessage } from './errorMessage';
import { ApogeeError } from './ApogeeError';

/**
 * A parameter provider (`@Param` method, `FuncArg`, `@Inject` service) threw while computing
 * a value. The provider's own error is kept as `cause`.
 */
export class ParameterProviderError extends ApogeeError {
  constructor(provider: string, cause: unknown, taskName?: string) {
    const reason = errorMessage(cause);
    super(
      'PARAMETER_PROVIDER_FAILED',
      `Parameter provider ${provider} threw${taskName === undefined ? '' : ` while resolving task "${taskName}"`}: ${reason}\n` +
        `Fix: the provider's own error is attached as \`cause\`; make the provider succeed, or give the ` +
        `parameter another source with .or(...).`,
      { key: provider, cause, ...(taskName === undefined ? {} : { taskName }) },
    );
  }
}
