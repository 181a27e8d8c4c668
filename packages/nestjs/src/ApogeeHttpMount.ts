import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, ConfigurationError } from '@apogee/core';
import { createControlHandler, type ControlHandler } from '@apogee/http';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APOGEE_OPTIONS, type ApogeeModuleOptions } from './ApogeeModuleOptions';

/** The part of a Fastify instance the mount uses. */
interface FastifyLike {
  all(
    path: string,
    handler: (
      request: { raw: IncomingMessage; body?: unknown },
      reply: { raw: ServerResponse; hijack(): void },
    ) => void,
  ): unknown;
}

/**
 * Mounts the control API and dashboard (`createControlHandler` of `@apogee/http`) in Nest's own
 * HTTP server when `forRoot({ http })` asks for it: as Express middleware, or as a Fastify route
 * that hands Node's request and response to the handler. Mounted at module init, so Nest's body
 * parser runs before it (the handler accepts a parsed body) and its 404 handler after it.
 */
@Injectable()
export class ApogeeHttpMount implements OnModuleInit, OnModuleDestroy {
  private handler: ControlHandler | undefined;

  constructor(
    @Inject(App) private readonly app: App,
    @Inject(APOGEE_OPTIONS) private readonly options: ApogeeModuleOptions,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  /** Mounts the handler; an application without an HTTP server is a configuration error. */
  onModuleInit(): void {
    const http = this.options.http;
    if (http === undefined) return;
    // Null in an application context (createApplicationContext), which has no server.
    const adapter = this.host.httpAdapter as typeof this.host.httpAdapter | null | undefined;
    if (adapter === null || adapter === undefined)
      throw new ConfigurationError(
        'ApogeeModule.forRoot({ http })',
        'an application without an HTTP server',
        'an HTTP application made with NestFactory.create(AppModule) (createApplicationContext has no server); without one, drop the http option and call serveControl(app) from @apogee/http',
      );
    const path = http.path ?? '/apogee';
    const handler = createControlHandler(this.app, { ...http, path });
    this.handler = handler;
    const type = adapter.getType();
    if (type === 'fastify') {
      const fastify = adapter.getInstance<FastifyLike>();
      const route: Parameters<FastifyLike['all']>[1] = (request, reply) => {
        // Fastify has read the body already; the handler takes a parsed one from req.body.
        Object.assign(request.raw, { body: request.body });
        reply.hijack();
        handler(request.raw, reply.raw);
      };
      fastify.all(path, route);
      fastify.all(`${path}/*`, route);
    } else {
      adapter.use(handler);
    }
    new Logger('Apogee').log(`Control API and dashboard mounted at ${path}/ (${type})`);
  }

  /** Ends the event streams; Nest closes the server itself. */
  async onModuleDestroy(): Promise<void> {
    await this.handler?.close();
  }
}
