/**
 * Task parameters: `@Task({ parameters })` gives one task its own values, above the function
 * fallback and the session, below a batch.
 */
import { App, Arg, daily, Task } from '@apogee/core';
import { runMain } from '../runMain';

export class Exports {
  constructor(private readonly print: (line: string) => void) {}

  @Task(daily, { parameters: { table: 'orders', format: 'parquet' } })
  exportOrders(
    @Arg('table') table: string,
    @Arg('format', 'csv') format: string,
    @Arg('bucket') bucket: string,
  ): void {
    this.print(`export ${table} as ${format} to ${bucket}`);
  }

  @Task(daily, { parameters: { table: 'customers' } })
  exportCustomers(
    @Arg('table') table: string,
    @Arg('format', 'csv') format: string,
    @Arg('bucket') bucket: string,
  ): void {
    this.print(`export ${table} as ${format} to ${bucket}`);
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App({ params: { bucket: 's3://exports', format: 'json' } });
  app.container.register(Exports, { useValue: new Exports(print) });
  return app.register(Exports);
}

runMain(module, createApp);
