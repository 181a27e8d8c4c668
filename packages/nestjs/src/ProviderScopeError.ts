import { ApogeeError } from '@apogee/core';

/**
 * A Nest provider or controller with `@Task`, `@Cond` or `@Param` methods is request-scoped or
 * transient (or depends on one). Apogee calls those methods outside any request, on one
 * instance for the app's life, so it registers singletons only.
 */
export class ProviderScopeError extends ApogeeError {
  constructor(className: string, moduleName: string, scope: 'request' | 'transient') {
    super(
      'NEST_PROVIDER_SCOPE',
      `${className} (in ${moduleName}) has Apogee task, condition or parameter methods but is ${
        scope === 'request' ? 'request-scoped (or depends on a request-scoped provider)' : 'transient'
      }: Apogee calls those methods outside any request, on one instance for the app's life.\n` +
        `Fix: make ${className} a singleton (the default scope) and, where a run needs a scoped service, ` +
        `get one per run with moduleRef.resolve(Service, ContextIdFactory.create()) inside the task.`,
      { input: className },
    );
  }
}
