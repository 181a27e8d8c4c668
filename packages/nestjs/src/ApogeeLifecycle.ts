import { App } from '@apogee/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { APOGEE_INSTANCES } from './tokens';
import { APOGEE_OPTIONS, type ApogeeModuleOptions } from './ApogeeModuleOptions';
import { discoverTaskProviders } from './discoverTaskProviders';
import { inProcessOnly } from './inProcessOnly';
import type { NestInstanceProvider } from './NestInstanceProvider';

/**
 * Where the module sits in Nest's hook order: after every other module at bootstrap, before
 * every other at shutdown. Nest runs hooks by module distance from the root, deepest first
 * (global modules count as deepest), in reverse order at shutdown.
 */
const LAST_AT_BOOTSTRAP = -1;

/**
 * Starts the app once every other module's `onApplicationBootstrap` has run, and stops it,
 * draining live runs, before any other provider is destroyed. Services come with explicit
 * tokens so the module works where TypeScript runs without decorator metadata.
 */
@Injectable()
export class ApogeeLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Apogee');
  private running: Promise<void> | undefined;

  constructor(
    @Inject(App) private readonly app: App,
    @Inject(APOGEE_INSTANCES) private readonly instances: NestInstanceProvider,
    @Inject(APOGEE_OPTIONS) private readonly options: ApogeeModuleOptions,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(ModulesContainer) modules: ModulesContainer,
  ) {
    // Instances are built before Nest sorts modules for hooks, so this takes effect.
    for (const module of modules.values())
      if (module.providers.has(ApogeeLifecycle)) module.distance = LAST_AT_BOOTSTRAP;
  }

  /**
   * Registers every discovered class and starts the scheduler; resolves once it has started. A
   * registration or reference error rejects, which fails Nest's bootstrap.
   */
  async onApplicationBootstrap(): Promise<void> {
    const providers = discoverTaskProviders(this.discovery);
    for (const { ctor, instance } of providers) this.instances.set(ctor, instance);
    const others = (this.options.tasks ?? []).filter((ctor) => !this.instances.has(ctor));
    inProcessOnly(this.options.config ?? {}, providers);
    this.app.register(...providers.map((p) => p.ctor), ...others);
    let subscription: { unsubscribe(): void } | undefined;
    const started = new Promise<void>((resolve) => {
      subscription = this.app.events.subscribe((event) => {
        if (event.type === 'schedulerStarted') resolve();
      });
    });
    const running = this.app.run({ handleSignals: false });
    try {
      await Promise.race([started, running]);
    } finally {
      subscription?.unsubscribe();
    }
    this.running = running.catch((error: unknown) => {
      this.logger.error(`The Apogee scheduler stopped with an error: ${String(error)}`);
    });
  }

  /** Stops the scheduler as `app.shutdown()` does: live runs finish, or are terminated. */
  async onModuleDestroy(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    await this.app.shutdown();
    await running;
  }
}
