/**
 * Session parameters: `app.params(...)` for values every task can use, and `@Param` methods
 * that compute one lazily, only for runs that ask for it.
 */
import { App, Arg, EnvArg, every, Param, SimpleArg, Task } from '@apogee/core';
import { runMain } from '../runMain';

export class Settings {
  calls = 0;

  @Param('api_url')
  apiUrl(@Arg('region') region: string): string {
    this.calls++;
    return `https://${region}.api.example.com`;
  }
}

export class Sync {
  constructor(private readonly print: (line: string) => void) {}

  @Task(every('1 minute'))
  pull(@Arg('api_url') url: string, @Arg('batch_size') size: number): void {
    this.print(`pull ${size} items from ${url}`);
  }

  @Task(every('1 minute'))
  heartbeat(@Arg('region') region: string): void {
    this.print(`alive in ${region}`);
  }
}

export function createApp(print: (line: string) => void, settings = new Settings()): App {
  const app = new App({ params: { batch_size: 100 } });
  app.params({ region: new EnvArg('REGION').or(new SimpleArg('eu-north')) });
  app.container.register(Settings, { useValue: settings });
  app.container.register(Sync, { useValue: new Sync(print) });
  return app.register(Settings, Sync);
}

runMain(module, createApp);
