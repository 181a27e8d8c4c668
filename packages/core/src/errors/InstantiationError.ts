import { errorMessage } from './errorMessage';
import { ApogeeError } from './ApogeeError';
import { typescriptLoaderName } from './typescriptLoaderName';

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
        (/TypeInfo not known/.test(reason)
          ? // tsyringe says this when design:paramtypes is missing: TypeScript writes it only for a
            // class that has a class decorator, and only when the loader emits decorator metadata.
            `The class has no constructor parameter types (design:paramtypes). The compiler writes them only for a ` +
            `class with a class decorator, and only when it emits decorator metadata; this code was loaded by ` +
            `${typescriptLoaderName()}.\n` +
            `Fix: mark ${className} @injectable(), and compile with tsc or run with \`apogee run\` (both emit the ` +
            `metadata with "experimentalDecorators" and "emitDecoratorMetadata" on), or give each constructor ` +
            `parameter its token with @inject(Token).`
          : `Fix: mark ${className} @injectable() (a class with @Task(...) already is) so tsyringe knows its constructor ` +
            `parameters, and register the services it needs in the container given to new App({ container }).`),
      { input: className, cause },
    );
  }
}
