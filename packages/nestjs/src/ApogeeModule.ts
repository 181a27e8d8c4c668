import { App, ConfigurationError, ContainerInstanceProvider } from '@apogee/core';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApogeeHttpMount } from './ApogeeHttpMount';
import { ApogeeLifecycle } from './ApogeeLifecycle';
import {
  APOGEE_OPTIONS,
  type ApogeeModuleAsyncOptions,
  type ApogeeModuleOptions,
  type ApogeeOptionsFactory,
} from './ApogeeModuleOptions';
import { NestInstanceProvider } from './NestInstanceProvider';
import { nestLogger } from './nestLogger';
import { APOGEE_INSTANCES } from './tokens';

function createApp(options: ApogeeModuleOptions, instances: NestInstanceProvider): App {
  // `tasks` are registered at bootstrap, with the discovered providers.
  // `http` is the module's own option (ApogeeHttpMount), not App's.
  const appOptions: { -readonly [K in keyof ApogeeModuleOptions]?: ApogeeModuleOptions[K] } = { ...options };
  delete appOptions.http;
  // Apogee's own lines go where the application's other lines go, unless a logger was given.
  const config = { ...options.config, logger: options.config?.logger ?? nestLogger() };
  const app = new App({ ...appOptions, config, tasks: [], instances });
  instances.buildOthersWith(new ContainerInstanceProvider(app.container));
  return app;
}

function optionsProviders(options: ApogeeModuleAsyncOptions): Provider[] {
  const given = (['useFactory', 'useClass', 'useExisting'] as const).filter((k) => options[k] !== undefined);
  if (given.length !== 1)
    throw new ConfigurationError(
      'The options of ApogeeModule.forRootAsync(...)',
      given,
      'exactly one of useFactory, useClass and useExisting',
    );
  if (options.useFactory !== undefined)
    return [{ provide: APOGEE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }];
  const factory = options.useClass ?? options.useExisting;
  const fromFactory: Provider = {
    provide: APOGEE_OPTIONS,
    useFactory: (f: ApogeeOptionsFactory) => f.createApogeeOptions(),
    inject: [factory as NonNullable<typeof factory>],
  };
  return options.useClass === undefined
    ? [fromFactory]
    : [fromFactory, { provide: options.useClass, useClass: options.useClass }];
}

/**
 * Apogee in a Nest application. `@Task`, `@Cond` and `@Param` methods on any singleton
 * provider or controller are found at bootstrap and called on the instance Nest built; `App`
 * is injectable everywhere (the module is global). The scheduler starts after every module's
 * `onApplicationBootstrap` and stops, draining live runs, before any other provider is
 * destroyed; it installs no signal handlers (`enableShutdownHooks()` governs signals).
 *
 * @example
 * ```ts
 * @Module({ imports: [ApogeeModule.forRoot({ params: { env: 'prod' } })], providers: [Reports] })
 * class AppModule {}
 * ```
 */
@Module({})
export class ApogeeModule {
  /** The module with options given as values. */
  static forRoot(options: ApogeeModuleOptions = {}): DynamicModule {
    return ApogeeModule.build([{ provide: APOGEE_OPTIONS, useValue: options }], []);
  }

  /**
   * The module with options built by Nest: by `useFactory` with the `inject`ed providers, or by
   * a class's `createApogeeOptions()` (`useClass`, `useExisting`).
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
  static forRootAsync(options: ApogeeModuleAsyncOptions): DynamicModule {
    return ApogeeModule.build(optionsProviders(options), options.imports ?? []);
  }

  private static build(
    options: Provider[],
    imports: NonNullable<ApogeeModuleAsyncOptions['imports']>,
  ): DynamicModule {
    return {
      module: ApogeeModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      providers: [
        ...options,
        { provide: APOGEE_INSTANCES, useFactory: () => new NestInstanceProvider() },
        { provide: App, useFactory: createApp, inject: [APOGEE_OPTIONS, APOGEE_INSTANCES] },
        ApogeeLifecycle,
        ApogeeHttpMount,
      ],
      exports: [App],
    };
  }
}
