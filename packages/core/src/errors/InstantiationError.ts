import { errorMessage } from './errorMessage';
import { ApogeeError } from './ApogeeError';

/**
 * The container could not build a class that holds tasks, conditions or providers. The
 * container's own error is kept as `cause`.
 */
export class InstantiationError extends ApogeeError {
  constructor(className: string, cause: unknown) {
    const reason = errorMessage(cause);
    super(
      'INSTANTIATION_FAILED',
      `Cannot build class ${className} through the app's container: ${reason}\n` +
        `Fix: mark ${className} @injectable() (a class with @Task(...) already is) so tsyringe knows its constructor ` +
        `parameters, and register the services it needs in the container given to new App({ container }).`,
      { input: className, cause },
    );
  }
}
