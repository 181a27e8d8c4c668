// A NestJS 12 application (ES modules only), compiled with tsc and run with node: a provider's
// task runs with Nest's constructor injection, and the control API and dashboard answer under
// /apogee on Nest's own port.
import 'reflect-metadata';
import { App, Arg, Task } from '@apogee/core';
import { ApogeeModule } from '@apogee/nestjs';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Injectable()
export class Greeter {
  greet(who: string): string {
    return `hello ${who}`;
  }
}

/** Constructor injection by type: Nest reads the metadata tsc emitted. */
@Injectable()
export class Reports {
  constructor(private readonly greeter: Greeter) {}

  @Task()
  report(@Arg('who') who: string): string {
    return this.greeter.greet(who);
  }
}

@Controller()
export class Health {
  @Get('health')
  health(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({
  imports: [ApogeeModule.forRoot({ http: { path: '/apogee' } })],
  controllers: [Health],
  providers: [Greeter, Reports],
})
export class AppModule {}

const nest = await NestFactory.create(AppModule, { logger: false });
await nest.listen(0, '127.0.0.1');
const url = (await nest.getUrl()).replace('[::1]', '127.0.0.1');
const app = nest.get(App);
const reported = new Promise<void>((resolve) => {
  app.events.subscribe((event) => {
    if (event.type !== 'taskSucceeded' && event.type !== 'taskFailed') return;
    console.log(
      `${event.taskName}: ${event.type === 'taskFailed' ? String(event.error) : String(event.returnValue)}`,
    );
    resolve();
  });
});
const run = await fetch(`${url}/apogee/tasks/report/run`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ who: 'ada' }),
});
console.log(`POST /apogee/tasks/report/run: ${String(run.status)}`);
await reported;
const page = await fetch(`${url}/apogee/`, { headers: { accept: 'text/html' } });
console.log(`dashboard: ${String(page.status)} ${page.headers.get('content-type') ?? ''}`);
const health = await fetch(`${url}/health`);
console.log(`GET /health: ${JSON.stringify(await health.json())}`);
await nest.close();
console.log('closed');
