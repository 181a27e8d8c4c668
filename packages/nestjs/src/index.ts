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
  ApogeeModuleAsyncOptions,
  ApogeeModuleOptions,
  ApogeeOptionsFactory,
} from './ApogeeModuleOptions';
export { ProviderScopeError } from './ProviderScopeError';
