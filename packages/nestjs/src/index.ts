/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
/**
 * `@apogee/nestjs`: Apogee inside a NestJS application. Import `ApogeeModule.forRoot(...)` (or
 * `forRootAsync(...)`) once; `@Task`, `@Cond` and `@Param` methods on Nest providers run on the
 * instances Nest built, and `App` is injectable.
 *
 * @packageDocumentation
 */
export { ApogeeModule } from './ApogeeModule';
export { APOGEE_OPTIONS } from './ApogeeModuleOptions';
export type {
  ApogeeHttpOptions,
  ApogeeModuleAsyncOptions,
  ApogeeModuleOptions,
  ApogeeOptionsFactory,
} from './ApogeeModuleOptions';
export { ProviderScopeError } from './ProviderScopeError';
