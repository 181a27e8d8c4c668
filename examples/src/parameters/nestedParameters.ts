/**
 * Parameters in another parameter: a provider's own parameters are injected too, and each
 * provider runs at most once per run, however many others need it.
 */
import { App, Arg, Param, Task } from '@apogee/core';
import { runMain } from '../runMain';

export class Connections {
  opened = 0;

  @Param('db_url')
  dbUrl(@Arg('db_host') host: string, @Arg('db_name') name: string): string {
    return `postgres://${host}/${name}`;
  }

  @Param('connection')
  connect(@Arg('db_url') url: string): { url: string; id: number } {
    this.opened++;
    return { url, id: this.opened };
  }

  @Param('orders')
  orders(@Arg('connection') connection: { url: string; id: number }): string {
    return `orders via #${String(connection.id)}`;
  }
}

export class Report {
  constructor(private readonly print: (line: string) => void) {}

  @Task()
  build(@Arg('orders') orders: string, @Arg('connection') connection: { url: string; id: number }): void {
    this.print(`${orders}; ${connection.url} (#${String(connection.id)})`);
  }
}

export function createApp(print: (line: string) => void, connections = new Connections()): App {
  const app = new App({ params: { db_host: 'db.internal', db_name: 'shop' } });
  app.container.register(Connections, { useValue: connections });
  app.container.register(Report, { useValue: new Report(print) });
  app.register(Connections, Report);
  app.session.get('build').run();
  return app;
}

runMain(module, createApp);
