import { App, Arg, ConfigurationError, Task } from '@apogee/core';
import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestApplicationContextOptions } from '@nestjs/common/interfaces/nest-application-context-options.interface';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApogeeModule } from './ApogeeModule';
import type { ApogeeHttpOptions } from './ApogeeModuleOptions';

// Real HTTP servers on loopback, real time: the control API answers inside Nest's own server.
jest.setTimeout(30_000);

@Injectable()
class Greeter {
  greet(who: string): string {
    return `hello ${who}`;
  }
}

/** A Nest service whose task uses an injected service. */
@Injectable()
class Reports {
  readonly sent: string[] = [];
  constructor(private readonly greeter: Greeter) {}
  @Task()
  report(@Arg('who') who: string) {
    this.sent.push(this.greeter.greet(who));
    return this.sent.length;
  }
}

@Controller()
class Hello {
  @Get('hello')
  hello() {
    return { hello: 'nest' };
  }
}

function moduleWith(http: ApogeeHttpOptions) {
  @Module({
    imports: [ApogeeModule.forRoot({ http })],
    controllers: [Hello],
    providers: [Greeter, Reports],
  })
  class HttpModule {}
  return HttpModule;
}

const adapters = {
  express: () => new ExpressAdapter(),
  fastify: () => new FastifyAdapter(),
};

/** Nest's options: no log lines, and errors thrown rather than the process exited. */
const quiet = (): NestApplicationContextOptions =>
  Object.assign(new NestApplicationContextOptions(), { logger: false as const, abortOnError: false });

async function start(adapter: keyof typeof adapters, http: ApogeeHttpOptions) {
  const nest: INestApplication = await NestFactory.create(moduleWith(http), adapters[adapter](), quiet());
  await nest.listen(0, '127.0.0.1');
  const url = (await nest.getUrl()).replace('[::1]', '127.0.0.1');
  return { nest, url };
}

/** Resolves once `task` has succeeded `count` times. */
function succeeded(app: App, task: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = app.events.subscribe((event) => {
      if (event.type === 'taskSucceeded' && event.taskName === task) {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
}

describe.each(Object.keys(adapters) as (keyof typeof adapters)[])(
  'ApogeeModule.forRoot({ http }) on %s',
  (adapter) => {
    let nest: INestApplication | undefined;
    afterEach(async () => {
      await nest?.close();
      nest = undefined;
    });

    it('answers the control API and the dashboard under /apogee on Nest’s port, beside Nest’s routes', async () => {
      const started = await start(adapter, {});
      nest = started.nest;
      const { url } = started;
      const tasks = await fetch(`${url}/apogee/tasks`);
      expect(tasks.status).toBe(200);
      expect(JSON.stringify(await tasks.json())).toContain('"report"');
      const page = await fetch(`${url}/apogee/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await (await fetch(`${url}/hello`)).json()).toEqual({ hello: 'nest' });

      const done = succeeded(nest.get(App), 'report');
      const run = await fetch(`${url}/apogee/tasks/report/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ who: 'ada' }),
      });
      expect(run.status).toBe(202);
      await done;
      expect(nest.get(Reports).sent).toEqual(['hello ada']);
    });

    it('asks for the token when one is set, and applies the Host rule', async () => {
      const started = await start(adapter, { path: '/ops/apogee', token: 'sesame' });
      nest = started.nest;
      const { url } = started;
      expect((await fetch(`${url}/ops/apogee/tasks`)).status).toBe(401);
      const authorized = await fetch(`${url}/ops/apogee/tasks`, {
        headers: { authorization: 'Bearer sesame' },
      });
      expect(authorized.status).toBe(200);
      const foreign = await fetch(`${url}/ops/apogee/tasks`, {
        headers: { authorization: 'Bearer sesame', origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
    });
  },
);

it('fails the bootstrap of an application without an HTTP server, naming the option', async () => {
  const context = NestFactory.createApplicationContext(moduleWith({}), quiet());
  await expect(context).rejects.toThrow(ConfigurationError);
  await expect(context).rejects.toThrow(/ApogeeModule\.forRoot\(\{ http \}\).*NestFactory\.create/);
});
