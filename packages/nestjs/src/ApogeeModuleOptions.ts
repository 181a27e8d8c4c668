import type { AppOptions } from '@apogee/core';
import type { ControlHandlerOptions } from '@apogee/http';
import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';

/**
 * Where and how the control API and dashboard answer inside Nest's HTTP server: the options of
 * `createControlHandler` from `@apogee/http` (`token`, `allowedHosts`, limits), with `path`
 * defaulting to `'/apogee'`.
 */
export type ApogeeHttpOptions = ControlHandlerOptions;

/**
 * Options of `ApogeeModule.forRoot(...)`: those of `new App(...)` except `instances`, which the
 * module supplies (Nest's providers). `tasks` lists classes that are not Nest providers; they
 * are built as without Nest. `http` mounts the control API and dashboard in Nest's own HTTP
 * server (Express or Fastify), under `http.path` (default `/apogee`), with the same Host, Origin
 * and token rules as `serveControl`.
 */
export type ApogeeModuleOptions = Omit<AppOptions, 'instances'> & { readonly http?: ApogeeHttpOptions };

/** The token of the resolved {@link ApogeeModuleOptions}. */
export const APOGEE_OPTIONS = Symbol.for('@apogee/nestjs/options');

/** A class that builds the options, for `forRootAsync({ useClass })` and `{ useExisting }`. */
export interface ApogeeOptionsFactory {
  /** The module's options. */
  createApogeeOptions(): ApogeeModuleOptions | Promise<ApogeeModuleOptions>;
}

/**
 * Options of `ApogeeModule.forRootAsync(...)`: give exactly one of `useFactory`, `useClass` and
 * `useExisting`.
 *
 * @example
 * ```ts
 * ApogeeModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ params: { reportSchedule: config.get('REPORT_SCHEDULE') } }),
 * });
 * ```
 */
export interface ApogeeModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Tokens whose providers are passed to `useFactory`, in order. */
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Builds the options from the `inject`ed providers. */
  readonly useFactory?: (...args: never[]) => ApogeeModuleOptions | Promise<ApogeeModuleOptions>;
  /** A class the module instantiates to build the options. */
  readonly useClass?: Type<ApogeeOptionsFactory>;
  /** A provider from `imports` that builds the options. */
  readonly useExisting?: InjectionToken<ApogeeOptionsFactory>;
}
